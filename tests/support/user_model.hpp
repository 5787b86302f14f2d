#pragma once
// The guide's chapter 1 User, shared by the entity manager tests.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

namespace ctorm_test {

struct User {
  std::int64_t id{};
  std::string full_name;
  std::string email;
  std::string password;
  std::string bio;
  ctorm::TimePoint created_at = ctorm::now();
};

using Schema = ctorm::schema<User>;

inline User make_user(const std::string& name, const std::string& email) {
  return User{.full_name = name, .email = email, .password = "secret"};
}

}  // namespace ctorm_test

template <>
struct ctorm::entity_options<ctorm_test::User> : ctorm::options<ctorm::unique<&ctorm_test::User::email>> {};

#include "backend.hpp"
#include "query_log.hpp"

namespace ctorm_test {
// A fresh database of the test's backend, the schema created, the query log captured.
struct UserFixture {
  std::string where = fresh_database();
  Orm<Schema> orm{where};
  QueryLog log;
  UserFixture() {
    orm.schema().create();
    log.attach(orm);
  }
};
}  // namespace ctorm_test
