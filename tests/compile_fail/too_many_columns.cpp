// expect: ctorm: an entity can have at most 64 columns
// Case too_many_columns: Wide has 65 fields (id and f1..f64); ctorm tracks changed columns in a 64-bit
// mask, so an entity of more than 64 columns must not compile.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Wide {
  std::int64_t id{};
  int f1{};
  int f2{};
  int f3{};
  int f4{};
  int f5{};
  int f6{};
  int f7{};
  int f8{};
  int f9{};
  int f10{};
  int f11{};
  int f12{};
  int f13{};
  int f14{};
  int f15{};
  int f16{};
  int f17{};
  int f18{};
  int f19{};
  int f20{};
  int f21{};
  int f22{};
  int f23{};
  int f24{};
  int f25{};
  int f26{};
  int f27{};
  int f28{};
  int f29{};
  int f30{};
  int f31{};
  int f32{};
  int f33{};
  int f34{};
  int f35{};
  int f36{};
  int f37{};
  int f38{};
  int f39{};
  int f40{};
  int f41{};
  int f42{};
  int f43{};
  int f44{};
  int f45{};
  int f46{};
  int f47{};
  int f48{};
  int f49{};
  int f50{};
  int f51{};
  int f52{};
  int f53{};
  int f54{};
  int f55{};
  int f56{};
  int f57{};
  int f58{};
  int f59{};
  int f60{};
  int f61{};
  int f62{};
  int f63{};
  int f64{};
};

int main() {
  ctorm::Orm<ctorm::schema<Wide>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Wide{});
}
