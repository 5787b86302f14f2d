// The blog example: MikroORM's getting-started guide, in C++. It runs each chapter against an SQLite file
// in a temporary folder (or the path given as the first argument) and prints every query.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "chapter1.hpp"
#include "chapter2.hpp"
#include "entities.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ctorm-blog-" + std::to_string(::getpid()));
  const std::string path = argc > 1 ? std::string(argv[1]) : (fs::create_directories(dir), (dir / "blog.db").string());
  try {
    ctorm::Orm<blog::Schema> orm{path};
    orm.log_queries(std::cout);
    orm.schema().refresh_database();
    blog::chapter1(orm);
    blog::chapter2(orm);
  } catch (const ctorm::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  if (argc <= 1) fs::remove_all(dir);
  return 0;
}
