// ctorm bench: the ctorm contender on SQLite (the workloads are in ctorm_contender.hpp).
#include "ctorm_contender.hpp"

namespace ctorm_bench {
namespace {

struct OnSqlite {
  static constexpr std::string_view name = "ctorm";
  // The connection every workload starts from: the harness's database file with its pragmas.
  static ctorm::Orm<model::Schema> open(const Run& run) {
    ctorm::Orm<model::Schema> orm{run.db_path};
    orm.execute(Run::connection_pragmas);
    return orm;
  }
};

}  // namespace

std::unique_ptr<Contender> make_ctorm_contender() { return std::make_unique<ctorm_side::CtormContender<OnSqlite>>(); }

}  // namespace ctorm_bench
