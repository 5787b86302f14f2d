// The blog's command line: ctorm's schema:* and migration:* commands for the blog's entities (MikroORM's
// `npx mikro-orm ...`), plus two commands of the blog's own:
//   seeder:run    adds a user with an article (MikroORM's name for running seeders)
//   blog:stats    prints how many users and articles there are
//
//   blog_cli --db blog.db schema:update --dump
//   blog_cli --db blog.db migration:create --name add_social
//   blog_cli --db postgresql://user@host/db migration:up
//
// The backend follows the database: a postgresql:// URI is PostgreSQL (when the blog is built with
// ctorm::postgres), anything else an SQLite file.
#include <ctorm/cli.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "entities.hpp"

#ifdef CTORM_BLOG_POSTGRES
#include <ctorm/postgres.hpp>
#endif

namespace {

template <class Backend>
int run_cli(int argc, char** argv) {
  using Orm = ctorm::Orm<blog::Schema, Backend>;
  ctorm::cli::Options<blog::Schema, Backend> options{.program = "blog_cli"};
  options.commands.push_back({"seeder:run", "Add a user with an article", [](Orm& orm) {
                                auto em = orm.em();
                                const std::string n = std::to_string(em.template count<blog::User>() + 1);
                                blog::User& user = em.persist(blog::User{
                                    .full_name = "Seeded " + n, .email = "seed" + n + "@blog.test", .password = "x"});
                                em.persist(blog::Article{.slug = "seeded-" + n, .title = "Seeded article " + n, .text = "...", .author = user});
                                em.flush();
                                std::cout << "seeded user " << user.id << '\n';
                                return 0;
                              }});
  options.commands.push_back({"blog:stats", "Print how many users and articles there are", [](Orm& orm) {
                                auto em = orm.em();
                                std::cout << "users: " << em.template count<blog::User>()
                                          << ", articles: " << em.template count<blog::Article>() << '\n';
                                return 0;
                              }});
  return ctorm::cli::run<blog::Schema, Backend>(argc, argv, std::move(options));
}

// The database the command line names (--db X or --db=X), else CTORM_DATABASE.
std::string database_of(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--db" && i + 1 < argc) return argv[i + 1];
    if (a.starts_with("--db=")) return std::string(a.substr(5));
  }
  const char* env = std::getenv("CTORM_DATABASE");
  return env ? env : "";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string db = database_of(argc, argv);
  if (db.starts_with("postgresql://") || db.starts_with("postgres://")) {
#ifdef CTORM_BLOG_POSTGRES
    return run_cli<ctorm::postgres>(argc, argv);
#else
    std::cerr << "blog_cli: built without PostgreSQL (libpq)\n";
    return ctorm::cli::usage;
#endif
  }
  return run_cli<ctorm::sqlite>(argc, argv);
}
