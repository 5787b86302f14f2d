// Compile-time reflection: field names, type names, member pointer <-> field index, naming.
#include <catch2/catch.hpp>
#include <ctorm/ctorm.hpp>

#include <string>

namespace app {
struct BlogPost {
  long id;
  std::string full_name;
  double score;
  bool HTTPFlag;
};
}  // namespace app

using ctorm::detail::field_index;
using ctorm::detail::field_name;
using ctorm::detail::type_name;

static_assert(type_name<app::BlogPost> == "BlogPost");
static_assert(type_name<int> == "int");
static_assert(field_name<app::BlogPost, 0> == "id");
static_assert(field_name<app::BlogPost, 1> == "full_name");
static_assert(field_name<app::BlogPost, 3> == "HTTPFlag");
static_assert(field_index<&app::BlogPost::id> == 0);
static_assert(field_index<&app::BlogPost::score> == 2);
static_assert(field_index<&app::BlogPost::HTTPFlag> == 3);

namespace {
template <std::size_t N>
struct Snake {
  template <class W>
  static constexpr void build(W& w) {
    constexpr std::string_view inputs[] = {"User", "BlogPost", "HTTPServer", "full_name", "userID", "article2Tag"};
    ctorm::write_snake_case(inputs[N], w);
  }
};
}  // namespace

static_assert(ctorm::detail::static_text<Snake<0>> == "user");
static_assert(ctorm::detail::static_text<Snake<1>> == "blog_post");
static_assert(ctorm::detail::static_text<Snake<2>> == "http_server");
static_assert(ctorm::detail::static_text<Snake<3>> == "full_name");
static_assert(ctorm::detail::static_text<Snake<4>> == "user_id");
static_assert(ctorm::detail::static_text<Snake<5>> == "article2_tag");

TEST_CASE("field names are reflected at compile time and usable at run time", "[reflect]") {
  CHECK(std::string(field_name<app::BlogPost, 1>) == "full_name");
  CHECK(std::string(type_name<app::BlogPost>) == "BlogPost");
}

TEST_CASE("table and column names follow the naming strategy", "[reflect]") {
  using ctorm::detail::column_names;
  using ctorm::detail::table_name_of;
  CHECK(table_name_of<ctorm::UnderscoreNaming, app::BlogPost> == "blog_post");
  CHECK(column_names<ctorm::UnderscoreNaming, app::BlogPost>[3] == "http_flag");
  CHECK(table_name_of<ctorm::VerbatimNaming, app::BlogPost> == "BlogPost");
  CHECK(column_names<ctorm::VerbatimNaming, app::BlogPost>[3] == "HTTPFlag");
}
