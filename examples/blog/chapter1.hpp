#pragma once
// Chapter 1 of the guide: persist and flush, the identity map, change tracking, forks, refresh, remove
// and references.
//
// The chapters are written once for both backends, as templates over the Orm's backend (main.cpp runs them
// on SQLite or PostgreSQL). That is why a call with template arguments reads `em.template find_one<User>(..)`:
// C++'s spelling when the type of `em` depends on a template parameter. A program on one backend writes
// `em.find_one<User>(..)`.
#include <iostream>

#include "entities.hpp"

namespace blog {

template <class Backend>
void chapter1(ctorm::Orm<Schema, Backend>& orm) {
  std::cout << "\n== chapter 1: first entity ==\n";
  auto em = orm.em();

  // persist marks the new user; flush inserts it in one transaction, and the generated id comes back
  User& user = em.persist(User{.full_name = "Foo Bar", .email = "foo@bar.com", .password = "123456"});
  em.flush();
  std::cout << "user id is: " << user.id << '\n';

  // the password was hashed by the before_create hook
  std::cout << "stored password: " << user.password << '\n';

  // the identity map: finding by key answers with the same object, and no query
  User* my_user = em.template find_one<User>(user.id);
  std::cout << "users are the same? " << std::boolalpha << (my_user == &user) << '\n';

  // finding by another column queries, and still gives the same object
  User* by_email = em.template find_one<User>(ctorm::col<&User::email> == "foo@bar.com");
  std::cout << "same instance? " << (by_email == &user) << '\n';
  const auto all = em.template find<User>();
  std::cout << "all users: " << all.size() << '\n';

  // change tracking: flush updates only the changed column; a second flush has nothing to do
  user.bio = "...";
  em.flush();
  em.flush();

  // a fork has its own identity map, so it queries
  auto em2 = em.fork();
  User& my_user2 = em2.template find_one_or_fail<User>(user.id);
  std::cout << "users are no longer the same, as they came from different EM: " << (&my_user2 != &user) << '\n';

  // refresh reloads and drops the unflushed change
  my_user2.bio = "changed";
  em2.refresh(my_user2);
  std::cout << "changes are lost, bio is: \"" << my_user2.bio << "\"\n";
  my_user2.bio = "some change, will be saved";
  em2.flush();

  // remove: by entity, and by a reference that is never loaded
  User& to_remove = em2.persist(User{.full_name = "To Remove", .email = "remove@me.com", .password = "x"});
  em2.flush();
  em2.remove(to_remove);
  em2.flush();

  User& to_remove2 = em2.persist(User{.full_name = "To Remove 2", .email = "remove2@me.com", .password = "x"});
  em2.flush();
  auto em3 = orm.em();
  User& ref = em3.template get_reference<User>(to_remove2.id);
  std::cout << "userRef is initialized: " << em3.is_initialized(ref) << '\n';
  em3.load(ref);
  std::cout << "userRef is initialized: " << em3.is_initialized(ref) << " (" << ref.full_name << ")\n";
  em3.remove(ref);
  em3.flush();

  // native_delete: a direct delete, outside the unit of work
  em3.persist(User{.full_name = "To Remove 3", .email = "remove3@me.com", .password = "x"});
  em3.flush();
  const auto affected = em3.template native_delete<User>(ctorm::col<&User::email> == "remove3@me.com");
  std::cout << "affected: " << affected << '\n';
  const auto left = orm.em().template count<User>();
  std::cout << "users left: " << left << '\n';
}

}  // namespace blog
