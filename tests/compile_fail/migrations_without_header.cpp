// expect: orm.migrations\(\) needs #include <ctorm/migrations.hpp>
// orm.migrations() is declared by <ctorm/ctorm.hpp> but the migrator is in a header of its own.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Note {
  std::int64_t id{};
};

int main() {
  ctorm::Orm<ctorm::schema<Note>> orm{":memory:"};
  orm.migrations().up();
}
