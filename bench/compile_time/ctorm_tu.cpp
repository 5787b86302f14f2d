// C1 (../../../shared/bench/WORKLOADS.md), ctorm side: the blog's four entities and the 20 typical queries of
// raw_tu.cpp, written with ctorm the way its docs show. run.sh times `g++ -std=c++20 -O2 -c` of this file;
// `run.sh --check` also builds it into a program and runs it (main() at the bottom executes every query and
// checks the results, exit status 0 on success).
//
// Queries 4 and 5 need like(), order_by(), limit()/offset() and conditions on embedded columns, which
// the query DSL adds: they use it when <ctorm/query/like.hpp> exists. Before, they are written with what
// exists (a prefix range, then sorting and paging in C++) and marked "stand-in": the same answers, not the
// same SQL, and cheaper to compile than the DSL's. Re-measure C1 when the DSL is merged.
#include <ctorm/ctorm.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace blog {

// ---- entities (as tests/support/blog_model.hpp and the guide's chapter 2) ---------------------------------
struct Timestamps {
  ctorm::TimePoint created_at = ctorm::now();
  ctorm::TimePoint updated_at = ctorm::now();
};

struct Article;
struct Comment;

struct User {
  std::int64_t id{};
  Timestamps ts;
  std::string full_name;
  std::string email;
  std::string password;
  std::string bio;
  ctorm::Collection<Article> articles;  // one-to-many, mapped by Article::author
};

struct Tag {
  std::int64_t id{};
  Timestamps ts;
  std::string name;
  ctorm::Collection<Article> articles;  // many-to-many, inverse side of Article::tags
};

struct Article {
  std::int64_t id{};
  Timestamps ts;
  std::string slug;
  std::string title;
  std::string description;
  std::string text;
  ctorm::Ref<User> author;              // many-to-one: author_id
  ctorm::Collection<Tag> tags;          // many-to-many, owning side: pivot article_tags
  ctorm::Collection<Comment> comments;  // one-to-many, mapped by Comment::article
};

struct Comment {
  std::int64_t id{};
  Timestamps ts;
  std::string text;
  ctorm::Ref<Article> article;
  ctorm::Ref<User> author;
};

using Schema = ctorm::schema<User, Article, Tag, Comment>;

}  // namespace blog

template <>
struct ctorm::embeddable<blog::Timestamps> : std::true_type {};
template <>
struct ctorm::optional_props<blog::Timestamps>
    : ctorm::props<&blog::Timestamps::created_at, &blog::Timestamps::updated_at> {};
template <>
struct ctorm::entity_options<blog::Timestamps>
    : ctorm::options<ctorm::on_update<&blog::Timestamps::updated_at, &ctorm::now>> {};

template <>
struct ctorm::entity_options<blog::User>
    : ctorm::options<ctorm::unique<&blog::User::email>, ctorm::lazy<&blog::User::password>,
                     ctorm::hidden<&blog::User::password>> {};
template <>
struct ctorm::optional_props<blog::User> : ctorm::props<&blog::User::bio> {};

template <>
struct ctorm::entity_options<blog::Article>
    : ctorm::options<ctorm::unique<&blog::Article::slug>, ctorm::index<&blog::Article::title>,
                     ctorm::length<&blog::Article::description, 1000>, ctorm::lazy<&blog::Article::text>> {};
template <>
struct ctorm::optional_props<blog::Article> : ctorm::props<&blog::Article::slug, &blog::Article::description> {};

template <>
struct ctorm::entity_options<blog::Tag>
    : ctorm::options<ctorm::unique<&blog::Tag::name>, ctorm::mapped_by<&blog::Tag::articles, &blog::Article::tags>> {};

template <>
struct ctorm::entity_options<blog::Comment> : ctorm::options<ctorm::cascade_remove<&blog::Comment::article>> {};

namespace blog {

using EM = ctorm::EntityManager<Schema>;
using ctorm::col;
using ctorm::prop;

// ---- the 20 queries -------------------------------------------------------------------------------------

// 1. find a user by primary key
User* find_user(EM& em, std::int64_t id) { return em.find_one<User>(id); }

// 2. find an article by primary key
Article* find_article(EM& em, std::int64_t id) { return em.find_one<Article>(id); }

// 3. find one user by a unique column
User* find_user_by_email(EM& em, const std::string& email) { return em.find_one<User>(col<&User::email> == email); }

#if __has_include(<ctorm/query/like.hpp>)
// 4. filtered find with order, limit and offset
std::vector<Article*> find_articles_titled(EM& em, const std::string& pattern, std::int64_t limit, std::int64_t offset) {
  return em.find<Article>(ctorm::like(col<&Article::title>, pattern),
                          ctorm::order_by(ctorm::desc<&Article::ts, &Timestamps::created_at>, ctorm::desc<&Article::id>),
                          ctorm::limit(limit), ctorm::offset(offset));
}

// 5. filtered find on two conditions, ordered by a text column
std::vector<User*> find_users_since(EM& em, ctorm::TimePoint since, const std::string& name_prefix, std::int64_t limit) {
  return em.find<User>(col<&User::ts, &Timestamps::created_at> >= since &&
                           ctorm::like(col<&User::full_name>, name_prefix + "%"),
                       ctorm::order_by(ctorm::asc<&User::full_name>), ctorm::limit(limit));
}
#else
// The first string after every string that starts with `prefix` (ASCII text): a prefix as a range.
std::string prefix_end(std::string_view prefix) { return std::string(prefix) + '\x7f'; }

// 4. filtered find with order, limit and offset
//    stand-in: like(title, prefix%), order_by(desc created_at, desc id), limit, offset are the query DSL's
std::vector<Article*> find_articles_titled(EM& em, const std::string& pattern, std::int64_t limit, std::int64_t offset) {
  const std::string prefix = pattern.substr(0, pattern.find('%'));
  auto found = em.find<Article>(col<&Article::title> >= prefix && col<&Article::title> < prefix_end(prefix));
  std::sort(found.begin(), found.end(), [](const Article* a, const Article* b) {
    return a->ts.created_at != b->ts.created_at ? a->ts.created_at > b->ts.created_at : a->id > b->id;
  });
  found.erase(found.begin(), found.begin() + std::min<std::ptrdiff_t>(offset, std::ssize(found)));
  if (std::ssize(found) > limit) found.resize(static_cast<std::size_t>(limit));
  return found;
}

// 5. filtered find on two conditions, ordered by a text column
//    stand-in: the condition on the embedded created_at, like, order_by and limit are the query DSL's
std::vector<User*> find_users_since(EM& em, ctorm::TimePoint since, const std::string& name_prefix, std::int64_t limit) {
  auto found = em.find<User>(col<&User::full_name> >= std::string(name_prefix) &&
                             col<&User::full_name> < prefix_end(name_prefix));
  std::erase_if(found, [&](const User* u) { return u->ts.created_at < since; });
  std::sort(found.begin(), found.end(), [](const User* a, const User* b) { return a->full_name < b->full_name; });
  if (std::ssize(found) > limit) found.resize(static_cast<std::size_t>(limit));
  return found;
}

#endif

// 6. populate Article::author (many-to-one)
void populate_article_authors(EM& em, const std::vector<Article*>& articles) { em.populate<&Article::author>(articles); }

// 7. populate User::articles (one-to-many)
void populate_user_articles(EM& em, const std::vector<User*>& users) { em.populate<&User::articles>(users); }

// 8. populate Article::tags (many-to-many, owning side)
void populate_article_tags(EM& em, const std::vector<Article*>& articles) { em.populate<&Article::tags>(articles); }

// 9. populate Tag::articles (many-to-many, inverse side)
void populate_tag_articles(EM& em, const std::vector<Tag*>& tags) { em.populate<&Tag::articles>(tags); }

// 10. populate Article::comments (one-to-many)
void populate_article_comments(EM& em, const std::vector<Article*>& articles) {
  em.populate<&Article::comments>(articles);
}

// 11. populate Comment::author (many-to-one)
void populate_comment_authors(EM& em, const std::vector<Comment*>& comments) { em.populate<&Comment::author>(comments); }

// 12. populate Comment::article (many-to-one)
void populate_comment_articles(EM& em, const std::vector<Comment*>& comments) {
  em.populate<&Comment::article>(comments);
}

// 13. count all users
std::int64_t count_users(EM& em) { return em.count<User>(); }

// 14. count with a condition
std::int64_t count_articles_by(EM& em, std::int64_t author_id) {
  return em.count<Article>(col<&Article::author> == author_id);
}

// 15. insert a user, id back into the object
User& insert_user(EM& em, User user) {
  User& u = em.persist(std::move(user));
  em.flush();
  return u;
}

// 16. insert an article with its tags (new tags created, existing ones reused), in one transaction
Article& insert_article(EM& em, Article article, const std::vector<std::string>& tag_names) {
  Article& a = em.persist(std::move(article));
  for (const std::string& name : tag_names) {
    Tag* tag = em.find_one<Tag>(col<&Tag::name> == name);
    a.tags.add(tag ? *tag : em.create<Tag>(prop<&Tag::name> = name));
  }
  em.flush();
  return a;
}

// 17. insert a comment
Comment& insert_comment(EM& em, Comment comment) {
  Comment& c = em.persist(std::move(comment));
  em.flush();
  return c;
}

// 18. update one column of a loaded user (updated_at follows, by its on_update option)
void update_user_bio(EM& em, User& u, std::string bio) {
  u.bio = std::move(bio);
  em.flush();
}

// 19. update several columns of a loaded article
void update_article(EM& em, Article& a, std::string title, std::string description) {
  a.title = std::move(title);
  a.description = std::move(description);
  em.flush();
}

// 20. delete an article by key (its comments by cascade_remove, its pivot rows by the pivot's cascade)
void delete_article(EM& em, std::int64_t id) {
  em.remove(em.get_reference<Article>(id));
  em.flush();
}

}  // namespace blog

// ---- run every query once and check the answers ---------------------------------------------------------
namespace {

void expect(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("check failed: ") + what);
}

ctorm::TimePoint at(std::int64_t ms) { return ctorm::TimePoint{std::chrono::milliseconds{ms}}; }

}  // namespace

int main(int argc, char** argv) try {
  using namespace blog;
  ctorm::Orm<Schema> orm{argc > 1 ? argv[1] : ":memory:"};
  orm.schema().create();
  auto em = orm.em();

  std::vector<User*> users;
  for (int i = 1; i <= 3; ++i) {
    users.push_back(&insert_user(em, User{.ts = {at(1000 + i), at(1000 + i)},
                                          .full_name = "User " + std::to_string(i),
                                          .email = "user" + std::to_string(i) + "@example.com",
                                          .password = std::string(64, 'a'),
                                          .bio = "bio " + std::to_string(i)}));  // 15
  }
  expect(users[2]->id == 3, "user ids");

  std::vector<Article*> articles;
  for (int j = 1; j <= 4; ++j) {
    std::vector<std::string> tags{"cpp"};
    if (j > 2) tags.push_back("sqlite");
    articles.push_back(&insert_article(em,
                                       Article{.ts = {at(2000 + j), at(2000 + j)},
                                               .slug = "article-" + std::to_string(j),
                                               .title = (j % 2 ? "Odd article " : "Even article ") + std::to_string(j),
                                               .description = "about " + std::to_string(j),
                                               .text = std::string(100, 'x'),
                                               .author = *users[static_cast<std::size_t>(j % 2)]},  // users 2 and 1
                                       tags));  // 16
  }
  for (int k = 1; k <= 5; ++k) {
    insert_comment(em, Comment{.ts = {at(3000 + k), at(3000 + k)},
                               .text = "comment " + std::to_string(k),
                               .article = *articles[static_cast<std::size_t>(k % 4)],
                               .author = *users[2]});  // 17
  }

  auto q = orm.em();  // the queries read through a fresh entity manager, so they really query
  expect(find_user(q, 2)->email == "user2@example.com", "find_user");  // 1
  expect(!find_user(q, 99), "find_user missing");
  expect(find_article(q, 3)->slug == "article-3", "find_article");                    // 2
  expect(find_user_by_email(q, "user3@example.com")->id == 3, "find_user_by_email");  // 3
  auto odd = find_articles_titled(q, "Odd%", 10, 0);                                  // 4
  expect(odd.size() == 2 && odd[0]->id == 3 && odd[1]->id == 1, "find_articles_titled");
  auto recent = find_users_since(q, at(1002), "User", 10);  // 5
  expect(recent.size() == 2 && recent[0]->full_name == "User 2", "find_users_since");

  auto all = find_articles_titled(q, "%", 100, 0);
  populate_article_authors(q, all);  // 6
  expect(all.size() == 4 && all[0]->author.is_initialized() && all[0]->author->id == all[0]->author.id(),
         "populate article authors");
  std::vector<User*> authors{find_user(q, 1), find_user(q, 2)};
  populate_user_articles(q, authors);  // 7
  expect(authors[0]->articles.size() == 2 && authors[1]->articles.size() == 2, "populate user articles");
  populate_article_tags(q, all);  // 8
  expect(all[0]->tags.size() == 2 && all[3]->tags.size() == 1, "populate article tags");
  std::vector<Tag*> tags(all[0]->tags.get_items());
  populate_tag_articles(q, tags);  // 9
  expect(tags[0]->name == "cpp" && tags[0]->articles.size() == 4 && tags[1]->articles.size() == 2,
         "populate tag articles");
  populate_article_comments(q, all);  // 10
  std::size_t n_comments = 0;
  for (Article* a : all) n_comments += a->comments.size();
  expect(n_comments == 5, "populate article comments");
  std::vector<Comment*> comments(all[0]->comments.get_items());
  populate_comment_authors(q, comments);   // 11
  populate_comment_articles(q, comments);  // 12
  expect(!comments.empty() && comments[0]->author->id == 3 && comments[0]->article->id == all[0]->id,
         "populate comment author and article");

  expect(count_users(q) == 3, "count_users");                 // 13
  expect(count_articles_by(q, 1) == 2, "count_articles_by");  // 14

  update_user_bio(em, *users[0], "new bio");  // 18
  auto after_18 = orm.em();
  expect(find_user(after_18, users[0]->id)->bio == "new bio", "bio written");
  update_article(em, *articles[1], "Retitled", "new description");  // 19
  auto after_19 = orm.em();
  expect(find_article(after_19, articles[1]->id)->title == "Retitled", "title written");
  const std::int64_t first = articles[0]->id, first_author = articles[0]->author.id();
  delete_article(em, first);  // 20
  auto check = orm.em();
  expect(!find_article(check, first) && count_articles_by(check, first_author) == 1, "article deleted");

  std::printf("C1 ctorm: 20 queries ran and returned the expected results\n");
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "C1 ctorm: %s\n", e.what());
  return 1;
}
