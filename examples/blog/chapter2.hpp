#pragma once
// Chapter 2 of the guide: relations, em.create with typed required properties, populate with both
// strategies, collections, many-to-many tags, lazy fields, hooks and serialization. Written once for both
// backends, as chapter 1 (see there for `em.template ...`).
#include <ctorm/json.hpp>

#include <cctype>
#include <cstdint>
#include <iostream>
#include <string>

#include "entities.hpp"

namespace blog {

// The guide's Article constructor: a slug and description derived from the title and text.
template <class Backend>
Article& create_article(ctorm::EntityManager<Schema, Backend>& em, const std::string& title, const std::string& text,
                        std::int64_t author_id) {
  std::string slug;
  for (char c : title) slug += c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return em.template create<Article>(ctorm::prop<&Article::title> = title, ctorm::prop<&Article::text> = text,
                            ctorm::prop<&Article::slug> = slug,
                            ctorm::prop<&Article::description> = text.substr(0, 999) + "...",
                            ctorm::prop<&Article::author> = author_id);  // a key: becomes a reference
}

template <class Backend>
void chapter2(ctorm::Orm<Schema, Backend>& orm) {
  std::cout << "\n== chapter 2: relationships ==\n";
  std::int64_t user_id = 0;
  {
    auto em = orm.em();
    User& user = em.template find_one_or_fail<User>(ctorm::col<&User::email> == "foo@bar.com");
    user_id = user.id;
    // em.create checks at compile time that title, text and author are given (they are required)
    Article& article = create_article(em, "Foo is Bar", "Lorem impsum dolor sit amet", user_id);
    std::cout << "article.author is initialized: " << std::boolalpha << article.author.is_initialized()
              << " (the user is managed already, so it points at the same object: "
              << (&article.author.get() == &user) << ")\n";
    create_article(em, "Second Article", "Second text", user_id);
    create_article(em, "Third Article", "Third text", user_id);
    em.flush();
  }

  // populate: select-in (one query per level) and joined (one query with left joins)
  {
    auto em = orm.em();
    auto article = em.template find_one_or_fail<Article>(1, ctorm::populate<&Article::author>);
    std::cout << "author (select-in): " << article.template get<&Article::author>()->full_name << '\n';
    std::cout << "lazy text loaded: " << !article->text.empty() << '\n';
  }
  {
    auto em = orm.em();
    auto article = em.template find_one_or_fail<Article>(ctorm::col<&Article::id> == 1,
                                               ctorm::populate<&Article::author, &Article::text>, ctorm::joined);
    std::cout << "author (joined): " << article.template get<&Article::author>()->full_name
              << ", text: " << article.template get<&Article::text>() << '\n';
  }

  // collections: one-to-many, lazy until loaded
  {
    auto em = orm.em();
    User& user = em.template find_one_or_fail<User>(user_id);
    std::cout << "articles initialized: " << user.articles.is_initialized() << '\n';
    user.articles.load_items();
    for (Article& a : user.articles) std::cout << "  - " << a.title << '\n';
    std::cout << "article.author is the same user: " << (&user.articles[0].author.get() == &user) << '\n';
  }

  // many-to-many: tags added and removed become pivot inserts and deletes
  {
    auto em = orm.em();
    auto user = em.template find_one_or_fail<User>(user_id, ctorm::populate<&User::articles>);
    Article& article = user->articles[0];
    Tag& new_tag = em.template create<Tag>(ctorm::prop<&Tag::name> = "new");
    Tag& old_tag = em.template create<Tag>(ctorm::prop<&Tag::name> = "old");
    article.tags.add(new_tag, old_tag);
    em.flush();
    article.tags.remove(old_tag);
    em.flush();
    article.comments.add(Comment{.text = "Great article!", .author = user.get()});
    em.flush();
  }

  // hooks: changing the password hashes it again, changing the bio does not
  {
    auto em = orm.em();
    User& user = em.template find_one_or_fail<User>(user_id, ctorm::populate<&User::password>).get();
    const std::string before = user.password;
    user.bio = "I write about Foo";
    em.flush();
    std::cout << "password untouched by a bio change: " << (user.password == before) << '\n';
    user.password = "new password";
    em.flush();
    std::cout << "new password stored hashed: " << (user.password != "new password") << '\n';
  }

  // serialization: populated relations nested, unloaded ones as keys, hidden fields never written
  {
    auto em = orm.em();
    auto article = em.template find_one_or_fail<Article>(
        1, ctorm::populate<&Article::author, &Article::tags, ctorm::path<&Article::comments, &Comment::author>>);
    std::cout << ctorm::to_json(article).dump(2) << '\n';
  }
}

}  // namespace blog
