// A user's program on ctorm::postgres (tests/consumer, tests/consumer_subdir): the target brings ctorm's
// headers and libpq. No server is needed: exits 0 when libpq links and reports its version.
#include <ctorm/ctorm.hpp>

#include <libpq-fe.h>

int main() { return PQlibVersion() > 0 ? 0 : 1; }
