// expect: ctorm: a Collection's inverse side is ambiguous
// Case ambiguous_inverse_side: User::messages is a Collection<Message>, and Message has two Refs back
// to User (sender and recipient). Without ctorm::mapped_by ctorm cannot tell which one the collection
// mirrors, and must not guess.
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
