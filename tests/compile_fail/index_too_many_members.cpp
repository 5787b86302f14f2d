// expect: ctorm: index<...> takes 1 to 8 members
// Case index_too_many_members: ctorm::index<...> over 9 columns; an index holds at most 8 (the fixed-size
// storage of an option entry), so a 9-column index must not compile rather than lose a column.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Wide {
  std::int64_t id{};
  int a{}, b{}, c{}, d{}, e{}, f{}, g{}, h{}, i{};
};

template <>
struct ctorm::entity_options<Wide>
    : ctorm::options<ctorm::index<&Wide::a, &Wide::b, &Wide::c, &Wide::d, &Wide::e, &Wide::f, &Wide::g, &Wide::h,
                                  &Wide::i>> {};

int main() {
  ctorm::Orm<ctorm::schema<Wide>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Wide{});
}
