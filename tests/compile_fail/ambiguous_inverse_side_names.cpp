// expect: AmbiguousInverseSide<User, Message, .*(::|\.)sender[^A-Za-z0-9_].*(::|\.)recipient[^A-Za-z0-9_]
// Case ambiguous_inverse_side (the names): the diagnostic must list the candidate Refs, sender and
// recipient, among AmbiguousInverseSide's template arguments (GCC prints `...Message::sender`, Clang
// `...value.sender`), so the user knows which fields ctorm::mapped_by can name.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Message;

struct User {
  std::int64_t id{};
  std::string email;
  ctorm::Collection<Message> messages;
};

struct Message {
  std::int64_t id{};
  std::string body;
  ctorm::Ref<User> sender;
  ctorm::Ref<User> recipient;
};

int main() {
  ctorm::Orm<ctorm::schema<User, Message>> orm{":memory:"};
  auto em = orm.em();
}
