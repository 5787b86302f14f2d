// ctorm bench: the ctorm contender on PostgreSQL, "ctorm-pg" (the workloads are in ctorm_contender.hpp),
// against the run's database on the server.
#include <ctorm/postgres.hpp>

#include "ctorm_contender.hpp"

namespace ctorm_bench {
namespace {

struct OnPostgres {
  static constexpr std::string_view name = "ctorm-pg";
  static ctorm::Orm<model::Schema, ctorm::postgres> open(const Run& run) {
    return ctorm::Orm<model::Schema, ctorm::postgres>{run.pg_conninfo};
  }
};

}  // namespace

std::unique_ptr<Contender> make_ctorm_pg_contender() {
  return std::make_unique<ctorm_side::CtormContender<OnPostgres>>();
}

}  // namespace ctorm_bench
