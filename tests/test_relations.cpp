// Relations: Ref (many-to-one), Collection (one-to-many, many-to-many), one-to-one, self references,
// cascade persist, foreign-key order, removal of referenced entities.
#include <catch2/catch.hpp>

#include "support/blog_model.hpp"
#include "support/query_log.hpp"

using namespace blog_test;
using ctorm::col;
using ctorm::prop;
using ctorm_test::QueryLog;

namespace {

struct Fixture {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  QueryLog log;
  Fixture() {
    orm.schema().create();
    log.attach(orm);
  }
  // A user with two articles, tagged, and a comment, written through a fresh entity manager.
  void seed() {
    auto em = orm.em();
    User& u = em.create<User>(prop<&User::full_name> = "Foo Bar", prop<&User::email> = "foo@bar.com",
                              prop<&User::password> = "secret");
    Article& a1 = em.create<Article>(prop<&Article::title> = "First", prop<&Article::slug> = "first",
                                     prop<&Article::text> = "text one", prop<&Article::author> = u);
    Article& a2 = em.create<Article>(prop<&Article::title> = "Second", prop<&Article::slug> = "second",
                                     prop<&Article::text> = "text two", prop<&Article::author> = u);
    Tag& t1 = em.create<Tag>(prop<&Tag::name> = "new");
    Tag& t2 = em.create<Tag>(prop<&Tag::name> = "old");
    a1.tags.add(t1, t2);
    a2.tags.add(t2);
    a1.comments.add(Comment{.text = "nice", .author = u});
    em.flush();
    log.clear();
  }
};

}  // namespace

static_assert(ctorm::detail::Relation<User, 6>::kind == ctorm::detail::RelationKind::one_to_many);
static_assert(ctorm::detail::Relation<Article, 6>::kind == ctorm::detail::RelationKind::many_to_one);
static_assert(ctorm::detail::Relation<Article, 7>::kind == ctorm::detail::RelationKind::many_to_many_owner);
static_assert(ctorm::detail::Relation<Tag, 3>::kind == ctorm::detail::RelationKind::many_to_many_inverse);
static_assert(ctorm::detail::Relation<Article, 8>::kind == ctorm::detail::RelationKind::one_to_many);
// Tables in foreign-key order: a table after the ones it references.
static_assert(Schema::order[0] == 0 && Schema::order[1] == 1);

TEST_CASE_METHOD(Fixture, "a Ref is a foreign key column, written after its target", "[relations]") {
  auto em = orm.em();
  // the article is persisted first, its author after: flush still inserts the user first
  User user_value{.full_name = "A", .email = "a@x.com", .password = "p"};
  Article& article = em.persist(Article{.slug = "t", .title = "T", .text = "x"});
  User& user = em.persist(std::move(user_value));
  article.author = user;
  em.flush();
  REQUIRE(log.lines.size() == 4);
  CHECK(log.lines[1].find("insert into \"user\"") != std::string::npos);
  CHECK(log.lines[2].find("insert into \"article\"") != std::string::npos);
  CHECK(article.author.id() == user.id);
  CHECK(&article.author.get() == &user);
}

TEST_CASE_METHOD(Fixture, "a loaded Ref is a reference until loaded, or the managed entity", "[relations]") {
  seed();
  auto em = orm.em();
  Article& a = em.find_one_or_fail<Article>(col<&Article::slug> == "first");
  CHECK(a.author.has_value());
  CHECK_FALSE(a.author.is_initialized());
  CHECK(a.author.id() == 1);
  CHECK_THROWS_AS(a.author.get(), ctorm::NotLoadedError);
  CHECK_THROWS_WITH(a.author->full_name, Catch::Contains("User 1 is not loaded"));
  log.clear();
  User& author = a.author.load();
  CHECK(log.count("select") == 1);
  CHECK(author.full_name == "Foo Bar");
  CHECK(a.author.is_initialized());
  CHECK(&a.author.get() == &author);

  // the author is managed now: another article points at the same object
  Article& b = em.find_one_or_fail<Article>(col<&Article::slug> == "second");
  CHECK(b.author.is_initialized());
  CHECK(&b.author.get() == &author);
  CHECK(em.find_one<User>(1) == &author);
}

TEST_CASE_METHOD(Fixture, "one-to-many collections", "[relations]") {
  seed();
  auto em = orm.em();
  User& u = em.find_one_or_fail<User>(1);
  CHECK_FALSE(u.articles.is_initialized());
  CHECK_THROWS_AS(u.articles.size(), ctorm::NotLoadedError);
  CHECK_THROWS_AS(u.articles.get_items(), ctorm::NotLoadedError);
  log.clear();
  u.articles.load_items();
  CHECK(log.count("select") == 1);
  CHECK(log.contains(R"(from "article" where "author_id" in (?) order by "author_id", "id")"));
  REQUIRE(u.articles.size() == 2);
  CHECK(u.articles[0].title == "First");
  CHECK(&u.articles[0].author.get() == &u);  // the same object, through the identity map
  u.articles.load_items();
  CHECK(log.count("select") == 1);  // loaded already: no query
  u.articles.init();
  CHECK(log.count("select") == 2);  // init() always queries
  std::vector<std::string> titles;
  for (Article& a : u.articles) titles.push_back(a.title);
  CHECK(titles == std::vector<std::string>{"First", "Second"});
  CHECK(u.articles.contains(u.articles[1]));
}

TEST_CASE_METHOD(Fixture, "adding to a one-to-many collection sets the Ref", "[relations]") {
  seed();
  auto em = orm.em();
  User& other = em.create<User>(prop<&User::full_name> = "Other", prop<&User::email> = "other@x.com",
                                prop<&User::password> = "p");
  Article& a = em.find_one_or_fail<Article>(col<&Article::slug> == "second");
  other.articles.add(a);
  CHECK(&a.author.get() == &other);
  em.flush();
  CHECK(log.count("update \"article\"") == 1);
  CHECK(log.contains(ctorm_test::dialect_sql(R"("author_id" = ? where "id" = ?)", 2)));  // after "updated_at"
  auto check = orm.em();
  CHECK(check.find_one_or_fail<Article>(col<&Article::slug> == "second").author.id() == other.id);
}

TEST_CASE_METHOD(Fixture, "cascade persist: new items of a collection are inserted with the owner", "[relations]") {
  auto em = orm.em();
  User user{.full_name = "A", .email = "a@x.com", .password = "p"};
  user.articles.add(Article{.slug = "one", .title = "One", .text = "1"});
  user.articles.add(Article{.slug = "two", .title = "Two", .text = "2"});
  User& managed = em.persist(std::move(user));
  CHECK(em.is_managed(managed.articles[0]));
  CHECK(&managed.articles[1].author.get() == &managed);
  em.flush();
  CHECK(log.count("insert into \"article\"") == 2);
  auto check = orm.em();
  CHECK(check.count<Article>(col<&Article::author> == managed.id) == 2);

  // adding a new item by value to a managed owner persists it at once
  Article& three = managed.articles.add(Article{.slug = "three", .title = "Three", .text = "3"});
  CHECK(em.is_managed(three));
  em.flush();
  CHECK(orm.em().count<Article>() == 3);
}

TEST_CASE_METHOD(Fixture, "many-to-many additions and removals become pivot inserts and deletes", "[relations]") {
  seed();
  auto em = orm.em();
  Article& a = em.find_one_or_fail<Article>(col<&Article::slug> == "first");
  a.tags.load_items();
  REQUIRE(a.tags.size() == 2);
  Tag& fresh = em.create<Tag>(prop<&Tag::name> = "fresh");
  Tag& old = a.tags[1];
  CHECK(old.name == "old");
  a.tags.remove(old);
  a.tags.add(fresh);
  log.clear();
  em.flush();
  CHECK(log.count("insert into \"tag\"") == 1);
  CHECK(log.count(R"(insert into "article_tags" ("article_id", "tag_id") values (?, ?))") == 1);
  CHECK(log.count(R"(delete from "article_tags" where "article_id" = ? and "tag_id" = ?)") == 1);
  log.clear();
  em.flush();
  CHECK(log.size() == 0);

  auto check = orm.em();
  Article& again = check.find_one_or_fail<Article>(col<&Article::slug> == "first");
  again.tags.load_items();
  std::vector<std::string> names;
  for (Tag& t : again.tags) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"new", "fresh"});

  again.tags.remove([](Tag& t) { return t.name == "new"; });
  again.tags.remove_all();
  check.flush();
  CHECK(orm.em().find_one_or_fail<Article>(col<&Article::slug> == "first").tags.load_items().size() == 0);
}

TEST_CASE_METHOD(Fixture, "the inverse side of a many-to-many loads and writes through the owner", "[relations]") {
  seed();
  auto em = orm.em();
  Tag& old = em.find_one_or_fail<Tag>(col<&Tag::name> == "old");
  old.articles.load_items();
  REQUIRE(old.articles.size() == 2);
  Article& first = old.articles[0];
  CHECK(first.title == "First");
  Tag& newer = em.find_one_or_fail<Tag>(col<&Tag::name> == "new");
  Article& second = old.articles[1];
  second.tags.load_items();
  newer.articles.add(second);  // inverse side: the owner's collection gains the tag
  CHECK(second.tags.contains(newer));
  em.flush();
  auto check = orm.em();
  CHECK(check.find_one_or_fail<Tag>(col<&Tag::name> == "new").articles.load_items().size() == 2);
}

TEST_CASE_METHOD(Fixture, "adding to an unloaded many-to-many collection keeps the addition", "[relations]") {
  seed();
  auto em = orm.em();
  Article& a = em.find_one_or_fail<Article>(col<&Article::slug> == "second");
  Tag& t = em.find_one_or_fail<Tag>(col<&Tag::name> == "new");
  CHECK_FALSE(a.tags.is_initialized());
  a.tags.add(t);
  em.flush();
  CHECK(log.count("insert into \"article_tags\"") == 1);
  a.tags.load_items();
  CHECK(a.tags.size() == 2);

  // and a removal of what was added, still without loading
  auto em2 = orm.em();
  Article& b = em2.find_one_or_fail<Article>(col<&Article::slug> == "second");
  Tag& red = em2.create<Tag>(prop<&Tag::name> = "red");
  b.tags.add(red);
  em2.flush();
  b.tags.remove(red);
  log.clear();
  em2.flush();
  CHECK(log.count("delete from \"article_tags\"") == 1);
  CHECK_FALSE(b.tags.is_initialized());
}

TEST_CASE_METHOD(Fixture, "removing an entity that others reference is a typed error, and nothing is lost", "[relations]") {
  seed();
  auto em = orm.em();
  User& u = em.find_one_or_fail<User>(1);
  em.remove(u);
  CHECK_THROWS_AS(em.flush(), ctorm::ForeignKeyConstraintViolation);
  CHECK(em.state(u) == ctorm::EntityState::removed);
  CHECK(orm.em().count<User>() == 1);
  em.persist(u);  // undo the removal
  em.flush();
}

TEST_CASE_METHOD(Fixture, "cascade_remove deletes the rows that point at a removed entity", "[relations]") {
  seed();
  auto em = orm.em();
  CHECK(em.count<Comment>() == 1);
  Article& a = em.find_one_or_fail<Article>(col<&Article::slug> == "first");
  em.remove(a);
  em.flush();  // Comment::article has cascade_remove; article_tags rows go with the pivot's own cascade
  CHECK(em.count<Comment>() == 0);
  CHECK(em.count<Article>() == 1);
  CHECK(ctorm_test::raw_int(orm, "select count(*) from article_tags") == 1);
}

TEST_CASE_METHOD(Fixture, "a relation to an entity the manager does not hold is a usage error", "[relations]") {
  auto em = orm.em();
  User stranger{.full_name = "S", .email = "s@x.com", .password = "p"};
  Article a{.slug = "t", .title = "T", .text = "x"};
  a.author = stranger;
  CHECK_THROWS_AS(em.persist(std::move(a)), ctorm::UsageError);
}

TEST_CASE_METHOD(Fixture, "an empty required Ref is a NOT NULL error at flush", "[relations]") {
  auto em = orm.em();
  em.persist(Article{.slug = "t", .title = "T", .text = "x"});
  CHECK_THROWS_AS(em.flush(), ctorm::NotNullConstraintViolation);
}

// --- one-to-one and self references ----------------------------------------------------------------

namespace selfref {

struct Profile;

struct Person {
  std::int64_t id{};
  std::string name;
  ctorm::Ref<Profile> profile;  // inverse side of Profile::person (mapped_by)
};

struct Profile {
  std::int64_t id{};
  std::string bio;
  ctorm::Ref<Person> person;  // owning side: a unique foreign key
};

struct Employee {
  std::int64_t id{};
  std::string name;
  std::optional<ctorm::Ref<Employee>> manager;
  ctorm::Collection<Employee> reports;
};

using Schema = ctorm::schema<Person, Profile, Employee>;

}  // namespace selfref

template <>
struct ctorm::entity_options<selfref::Person>
    : ctorm::options<ctorm::mapped_by<&selfref::Person::profile, &selfref::Profile::person>> {};
template <>
struct ctorm::entity_options<selfref::Profile> : ctorm::options<ctorm::unique<&selfref::Profile::person>> {};

static_assert(ctorm::create_table_sql<selfref::Person> ==
              R"(create table "person" ("id" integer not null primary key autoincrement, "name" text not null))");
static_assert(ctorm::create_index_sql<selfref::Profile>[0] ==
              R"(create unique index "profile_person_id_unique" on "profile" ("person_id"))");
static_assert(ctorm::create_table_sql<selfref::Employee> ==
              R"(create table "employee" ("id" integer not null primary key autoincrement, "name" text not null, "manager_id" integer, )"
              R"(constraint "employee_manager_id_foreign" foreign key ("manager_id") references "employee" ("id") on update cascade))");

TEST_CASE("one-to-one: a unique Ref and its inverse", "[relations]") {
  ctorm_test::Orm<selfref::Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  {
    auto em = orm.em();
    selfref::Person& p = em.persist(selfref::Person{.name = "Ann"});
    em.persist(selfref::Profile{.bio = "hello", .person = p});
    em.flush();
    em.persist(selfref::Profile{.bio = "second", .person = p});
    CHECK_THROWS_AS(em.flush(), ctorm::UniqueConstraintViolation);
  }
  auto em = orm.em();
  auto person = em.find_one_or_fail<selfref::Person>(1, ctorm::populate<&selfref::Person::profile>);
  CHECK(person.get<&selfref::Person::profile>().value()->bio == "hello");
  CHECK(&person->profile->person.get() == &person.get());
}

TEST_CASE("self references: a manager is inserted before the employees that point at it", "[relations]") {
  ctorm_test::Orm<selfref::Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  {
    auto em = orm.em();
    selfref::Employee& worker = em.persist(selfref::Employee{.name = "worker"});
    selfref::Employee& boss = em.persist(selfref::Employee{.name = "boss"});
    worker.manager = boss;
    em.flush();
    CHECK(boss.id == 1);
    CHECK(worker.id == 2);
  }
  auto em = orm.em();
  auto bosses = em.find<selfref::Employee>(col<&selfref::Employee::name> == "boss",
                                           ctorm::populate<&selfref::Employee::reports>);
  REQUIRE(bosses.size() == 1);
  auto reports = bosses[0].get<&selfref::Employee::reports>();
  REQUIRE(reports.size() == 1);
  CHECK(reports[0]->name == "worker");
  CHECK(&(*reports[0]->manager).get() == &bosses[0].get());
}
