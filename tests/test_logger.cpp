// The query logger: off by default; when on, one line per statement in MikroORM's debug format.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "support/query_log.hpp"
#include "support/user_model.hpp"

using ctorm_test::make_user;
using ctorm_test::Schema;
using ctorm_test::User;

TEST_CASE("the logger is off by default and prints every statement when on", "[logger]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  std::ostringstream out;
  orm.schema().create();
  auto em = orm.em();
  em.persist(make_user("Quiet", "quiet@x.com"));
  em.flush();
  CHECK(out.str().empty());

  orm.log_queries(out);
  User& u = em.persist(make_user("Foo Bar", "foo@bar.com"));
  em.flush();
  u.bio = "it's";
  em.flush();
  em.fork().find<User>();
  const std::string text = out.str();
  CHECK(text.find("[query] begin [took ") != std::string::npos);
  const std::string placeholders = ctorm_test::is_sqlite ? R"(\?, \?, \?, \?, \?)" : R"(\$1, \$2, \$3, \$4, \$5)";
  const std::string returning = ctorm_test::is_sqlite ? "" : R"( returning "id")";
  CHECK(std::regex_search(text, std::regex(R"(\[query\] insert into "user" \("full_name", "email", "password", "bio", "created_at"\) values \()" +
                                           placeholders + R"(\))" + returning +
                                           R"( \[values: 'Foo Bar', 'foo@bar.com', 'secret', '', \d+\] \[took \d+ ms, 1 row affected\])")));
  CHECK(text.find(ctorm_test::dialect_sql(R"([query] update "user" set "bio" = ? where "id" = ? [values: 'it''s', 2] [took )")) !=
        std::string::npos);
  CHECK(std::regex_search(text, std::regex(R"(\[query\] select .* from "user" \[took \d+ ms, 2 results\])")));
  CHECK(text.find("[query] commit [took ") != std::string::npos);

  orm.set_logger(nullptr);
  em.persist(make_user("Quiet again", "quiet2@x.com"));
  const auto before = out.str().size();
  em.flush();
  CHECK(out.str().size() == before);
}

namespace {
struct Price {
  std::int64_t id{};
  double amount{};
};
}  // namespace

TEST_CASE("the log prints a double as the shortest text that reads back the same", "[logger]") {
  ctorm_test::Orm<ctorm::schema<Price>> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  std::ostringstream out;
  orm.log_queries(out);
  auto em = orm.em();
  em.persist(Price{.amount = 0.99});
  em.persist(Price{.amount = 1e20});
  em.flush();
  em.count<Price>(ctorm::col<&Price::amount> < 0.1 + 0.2);
  const std::string text = out.str();
  CHECK(text.find("[values: 0.99]") != std::string::npos);
  CHECK(text.find("[values: 1e+20]") != std::string::npos);
  CHECK(text.find("[values: 0.30000000000000004]") != std::string::npos);  // 0.1 + 0.2 is not 0.3
  CHECK(text.find("0.98999999999999999") == std::string::npos);
}
