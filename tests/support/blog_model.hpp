#pragma once
// The guide's chapter 2 blog: User, Article, Tag and Comment with every kind of relation, and the
// shared timestamps as an embedded struct.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

#include "backend.hpp"

namespace blog_test {

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
  ctorm::Collection<Article> articles;  // one-to-many: Article::author is the only Ref<User> in Article
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
  ctorm::Ref<User> author;
  ctorm::Collection<Tag> tags;  // many-to-many, owning side: pivot table article_tags
  ctorm::Collection<Comment> comments;
};

struct Comment {
  std::int64_t id{};
  Timestamps ts;
  std::string text;
  ctorm::Ref<Article> article;
  ctorm::Ref<User> author;
};

using Schema = ctorm::schema<User, Article, Tag, Comment>;

}  // namespace blog_test

template <>
struct ctorm::embeddable<blog_test::Timestamps> : std::true_type {};
template <>
struct ctorm::optional_props<blog_test::Timestamps>
    : ctorm::props<&blog_test::Timestamps::created_at, &blog_test::Timestamps::updated_at> {};
template <>
struct ctorm::entity_options<blog_test::Timestamps>
    : ctorm::options<ctorm::on_update<&blog_test::Timestamps::updated_at, &ctorm::now>> {};

template <>
struct ctorm::entity_options<blog_test::User>
    : ctorm::options<ctorm::unique<&blog_test::User::email>, ctorm::lazy<&blog_test::User::password>,
                     ctorm::hidden<&blog_test::User::password>> {};
template <>
struct ctorm::optional_props<blog_test::User> : ctorm::props<&blog_test::User::bio> {};

template <>
struct ctorm::entity_options<blog_test::Article>
    : ctorm::options<ctorm::unique<&blog_test::Article::slug>, ctorm::index<&blog_test::Article::title>,
                     ctorm::length<&blog_test::Article::description, 1000>, ctorm::lazy<&blog_test::Article::text>> {};
template <>
struct ctorm::optional_props<blog_test::Article>
    : ctorm::props<&blog_test::Article::slug, &blog_test::Article::description> {};

template <>
struct ctorm::entity_options<blog_test::Tag>
    : ctorm::options<ctorm::mapped_by<&blog_test::Tag::articles, &blog_test::Article::tags>> {};

template <>
struct ctorm::entity_options<blog_test::Comment>
    : ctorm::options<ctorm::cascade_remove<&blog_test::Comment::article>> {};
