#pragma once
// The blog's entities: plain structs, mapped by ctorm at compile time.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <functional>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>

namespace blog {

// Shared fields, flattened into every table that has them (the guide's BaseEntity).
struct Timestamps {
  ctorm::TimePoint created_at = ctorm::now();
  ctorm::TimePoint updated_at = ctorm::now();
};

struct Article;
struct Comment;

// A stand-in for a real password hash (use a proper KDF in an application).
inline std::string hash_password(const std::string& password) {
  std::ostringstream out;
  out << "h$" << std::hex << std::setw(16) << std::setfill('0') << std::hash<std::string>{}("salt:" + password);
  return out.str();
}

// Chapter 4: optional social handles, an embeddable whose fields are nullable columns of "user"
// (social_twitter, ...). The chapter-4 test builds the blog without it (BLOG_BEFORE_CHAPTER_4) to make a
// database of the older entities, then migrates it with the command line (examples/blog/cli.cpp).
struct Social {
  std::optional<std::string> twitter;
  std::optional<std::string> facebook;
  std::optional<std::string> linkedin;
};

struct User {
  std::int64_t id{};  // a field named id is the primary key; the database generates it
  Timestamps ts;
  std::string full_name;
  std::string email;
  std::string password;  // lazy and hidden, by trait
  std::string bio;
  ctorm::Collection<Article> articles;  // one-to-many: Article::author is its inverse, found at compile time
#ifndef BLOG_BEFORE_CHAPTER_4
  Social social;
#endif

  // Lifecycle hooks: hash the password when it is set or changed, and only then.
  void before_create(ctorm::ChangeSet<User>& cs) {
    if (cs.changed<&User::password>()) password = hash_password(password);
  }
  void before_update(ctorm::ChangeSet<User>& cs) {
    if (cs.changed<&User::password>()) password = hash_password(password);
  }
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
  std::string text;  // lazy: selected only when populated
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

}  // namespace blog

// Options are traits, specialised next to the entities.
template <>
struct ctorm::embeddable<blog::Timestamps> : std::true_type {};
template <>
struct ctorm::optional_props<blog::Timestamps>
    : ctorm::props<&blog::Timestamps::created_at, &blog::Timestamps::updated_at> {};
template <>
struct ctorm::entity_options<blog::Timestamps>
    : ctorm::options<ctorm::on_update<&blog::Timestamps::updated_at, &ctorm::now>> {};

template <>
struct ctorm::embeddable<blog::Social> : std::true_type {};
template <>
struct ctorm::entity_options<blog::Social>
    : ctorm::options<ctorm::column_name<&blog::Social::twitter, "social_twitter">,
                     ctorm::column_name<&blog::Social::facebook, "social_facebook">,
                     ctorm::column_name<&blog::Social::linkedin, "social_linkedin">> {};

template <>
struct ctorm::entity_options<blog::User>
    : ctorm::options<ctorm::unique<&blog::User::email>, ctorm::default_value<&blog::User::bio, "''">,
                     ctorm::lazy<&blog::User::password>, ctorm::hidden<&blog::User::password>> {};
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
    : ctorm::options<ctorm::mapped_by<&blog::Tag::articles, &blog::Article::tags>> {};

template <>
struct ctorm::entity_options<blog::Comment> : ctorm::options<ctorm::cascade_remove<&blog::Comment::article>> {};
