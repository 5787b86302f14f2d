// expect: ctorm: a schema lists at least one entity
// Case empty_schema: ctorm::schema<> maps nothing; an Orm over it could do nothing useful.
#include <ctorm/ctorm.hpp>

int main() {
  ctorm::Orm<ctorm::schema<>> orm{":memory:"};
  auto em = orm.em();
}
