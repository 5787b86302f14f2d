#pragma once
// The blog's entities: plain structs, mapped by ctorm at compile time.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

namespace blog {

struct User {
  std::int64_t id{};  // a field named id is the primary key; SQLite generates it
  std::string full_name;
  std::string email;
  std::string password;
  std::string bio;
  ctorm::TimePoint created_at = ctorm::now();
};

using Schema = ctorm::schema<User>;

}  // namespace blog

// Options are traits, specialised next to the entity: here, a unique index on email.
template <>
struct ctorm::entity_options<blog::User> : ctorm::options<ctorm::unique<&blog::User::email>> {};
