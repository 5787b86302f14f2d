// The blog example: MikroORM's getting-started guide, in C++. It runs each chapter with the query log on,
// on SQLite or on PostgreSQL; the chapters are written once, for an Orm of either backend.
//
//   blog                          a new SQLite file in a temporary folder, removed at the end
//   blog FILE                     the SQLite file FILE (created if missing)
//   blog postgresql://...         a PostgreSQL database, named by a libpq URI
//   blog postgresql://... --schema NAME
//                                 the same, in the schema NAME (created if missing) instead of the connection's
//                                 default one, so that the run keeps away from other tables of that database
//
// Each run drops the blog's tables, if there are any, and creates them anew.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

#include "chapter1.hpp"
#include "chapter2.hpp"
#include "entities.hpp"

#ifdef CTORM_BLOG_POSTGRES  // set by CMakeLists.txt when ctorm::postgres (libpq) is there
#include <ctorm/postgres.hpp>
#endif

namespace {

constexpr std::string_view usage = "usage: blog [FILE | postgresql://USER@HOST:PORT/DBNAME [--schema NAME]]\n";

struct Args {
  std::string database;  // empty: a temporary SQLite file
  std::string schema;    // PostgreSQL only
};

// libpq's two URI prefixes; anything else is an SQLite file (or SQLite URI, file:...).
bool is_postgres(std::string_view database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

// A schema name goes into SQL and into the connection's options as it is, so only plain names pass.
bool is_plain_name(std::string_view name) {
  if (name.empty() || name.size() > 63 || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// Exits with status 2 on a bad command line, 0 after --help.
Args parse(int argc, char** argv) {
  auto fail = [](const std::string& message) {
    std::cerr << "blog: " << message << '\n' << usage;
    std::exit(2);
  };
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      std::exit(0);
    } else if (arg == "--schema") {
      if (i + 1 == argc) fail("--schema needs a name");
      args.schema = argv[++i];
    } else if (arg.starts_with("-")) {
      fail("unknown option " + std::string(arg));
    } else if (!args.database.empty()) {
      fail("one database only");
    } else {
      args.database = arg;
    }
  }
  if (!args.schema.empty() && !is_postgres(args.database)) fail("--schema is for a PostgreSQL database");
  if (!args.schema.empty() && !is_plain_name(args.schema))
    fail("a schema name is lower-case letters, digits and _, not " + args.schema);
  return args;
}

template <class Backend>
void run(const std::string& database) {
  ctorm::Orm<blog::Schema, Backend> orm{database};
  orm.log_queries(std::cout);
  orm.schema().refresh_database();
  blog::chapter1(orm);
  blog::chapter2(orm);
}

#ifdef CTORM_BLOG_POSTGRES
void run_postgres(const std::string& uri, const std::string& schema) {
  std::cout << "PostgreSQL" << (schema.empty() ? "" : ", schema " + schema) << '\n';
  if (schema.empty()) return run<ctorm::postgres>(uri);
  {
    ctorm::Orm<blog::Schema, ctorm::postgres> admin{uri};
    admin.execute("create schema if not exists " + schema);
  }
  // Every connection of the pool starts with the schema first on its search path (`options=-c...`).
  run<ctorm::postgres>(uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema);
}
#endif

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const Args args = parse(argc, argv);
  fs::path temp_dir;
  int status = 0;
  try {
    if (is_postgres(args.database)) {
#ifdef CTORM_BLOG_POSTGRES
      run_postgres(args.database, args.schema);
#else
      std::cerr << "blog: built without PostgreSQL (configure ctorm with libpq-dev installed)\n";
      return 2;
#endif
    } else {
      std::string path = args.database;
      if (path.empty()) {
        temp_dir = fs::temp_directory_path() / ("ctorm-blog-" + std::to_string(::getpid()));
        fs::create_directories(temp_dir);
        path = (temp_dir / "blog.db").string();
      }
      std::cout << "SQLite, " << path << '\n';
      run<ctorm::sqlite>(path);
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    status = 1;
  }
  if (!temp_dir.empty()) {
    std::error_code ignored;
    fs::remove_all(temp_dir, ignored);
  }
  return status;
}
