#pragma once
// Splitting an SQL script (a migration file) into its statements, so that each runs alone and the one
// that fails can be named. A `;` ends a statement except inside a '...' string (E'...' with its
// backslash escapes), a "..." or `...` or [...] identifier, a -- or /* */ comment, a PostgreSQL
// $tag$ ... $tag$ dollar quote, or the begin ... end body of a `create trigger` (SQLite) or of a
// `create function` / `create procedure` written `begin atomic ... end` (PostgreSQL).
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "../error.hpp"

namespace ctorm::detail {

struct SqlStatement {
  std::string text;      // without its `;` and the comments and spaces around it
  std::size_t line = 1;  // the line of the script it starts on, from 1
};

namespace script {

inline bool word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether a statement starting with these words may hold a begin ... end body with `;` inside.
inline bool has_block_body(const std::vector<std::string>& words) {
  if (words.empty() || words[0] != "create") return false;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "trigger" || w == "function" || w == "procedure") return true;
    if (w != "or" && w != "replace" && w != "temp" && w != "temporary") return false;
  }
  return false;
}

// The dollar quote's opening tag at `i` ("$$", "$body$"), or empty when `$` does not open one (`$1`, a
// parameter, or `$` inside a word).
inline std::string_view dollar_tag(std::string_view s, std::size_t i) {
  if (i > 0 && word_char(s[i - 1])) return {};
  std::size_t j = i + 1;
  if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) return {};
  while (j < s.size() && s[j] != '$' && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                                         static_cast<unsigned char>(s[j]) >= 0x80))
    ++j;
  if (j >= s.size() || s[j] != '$') return {};
  return s.substr(i, j - i + 1);
}

}  // namespace script

// The statements of `sql`, in order; statements holding only comments are left out. Throws MigrationError
// for a string, identifier, comment or dollar quote that is not closed, naming the line it opened on.
inline std::vector<SqlStatement> split_sql_script(std::string_view sql) {
  std::vector<SqlStatement> out;
  std::size_t line = 1;
  std::size_t start = std::string_view::npos;  // the current statement's first character
  std::size_t start_line = 1;
  std::vector<std::string> words;  // the statement's first words, lower case
  int depth = 0;                   // begin / case nesting in a block body
  bool block = false;

  const auto unterminated = [&](const char* what, std::size_t at_line) {
    throw MigrationError(std::string("ctorm: the SQL script has ") + what + " opened on line " +
                         std::to_string(at_line) + " that is never closed");
  };
  const auto begin_here = [&](std::size_t i) {
    if (start == std::string_view::npos) {
      start = i;
      start_line = line;
    }
  };
  const auto finish = [&](std::size_t end) {
    if (start != std::string_view::npos) {
      std::size_t e = end;
      while (e > start && std::isspace(static_cast<unsigned char>(sql[e - 1]))) --e;
      out.push_back({std::string(sql.substr(start, e - start)), start_line});
    }
    start = std::string_view::npos;
    words.clear();
    depth = 0;
    block = false;
  };
  // Skips to the closing `close` of a quoted run that opened at i; a doubled close is part of it.
  const auto skip_quoted = [&](std::size_t& i, char close, bool backslash, const char* what) {
    const std::size_t opened = line;
    for (++i; i < sql.size(); ++i) {
      const char c = sql[i];
      if (c == '\n') ++line;
      if (backslash && c == '\\' && i + 1 < sql.size()) {
        if (sql[++i] == '\n') ++line;
        continue;
      }
      if (c == close) {
        if (i + 1 < sql.size() && sql[i + 1] == close) {
          ++i;
          continue;
        }
        return;
      }
    }
    unterminated(what, opened);
  };

  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      if (i < sql.size()) ++line;
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t opened = line;
      const std::size_t close = sql.find("*/", i + 2);
      if (close == std::string_view::npos) unterminated("a /* comment", opened);
      for (std::size_t k = i; k < close; ++k) line += sql[k] == '\n';
      i = close + 1;
      continue;
    }
    if (c == ';' && depth == 0) {
      finish(i);
      continue;
    }
    begin_here(i);
    switch (c) {
      case '\'': {
        // E'...' (PostgreSQL) takes backslash escapes
        const bool escapes = i > 0 && (sql[i - 1] == 'e' || sql[i - 1] == 'E') && (i < 2 || !script::word_char(sql[i - 2]));
        skip_quoted(i, '\'', escapes, "a '...' string");
        continue;
      }
      case '"': skip_quoted(i, '"', false, "a \"...\" identifier"); continue;
      case '`': skip_quoted(i, '`', false, "a `...` identifier"); continue;
      case '[': skip_quoted(i, ']', false, "a [...] identifier"); continue;
      case '$': {
        const std::string_view tag = script::dollar_tag(sql, i);
        if (tag.empty()) break;
        const std::size_t opened = line;
        const std::size_t close = sql.find(tag, i + tag.size());
        if (close == std::string_view::npos) unterminated("a dollar quote", opened);
        for (std::size_t k = i; k < close; ++k) line += sql[k] == '\n';
        i = close + tag.size() - 1;
        continue;
      }
      default: break;
    }
    if (script::word_char(c) && (i == 0 || !script::word_char(sql[i - 1]))) {
      std::size_t j = i;
      while (j < sql.size() && script::word_char(sql[j])) ++j;
      const std::string w = script::lower(sql.substr(i, j - i));
      if (words.size() < 6) {
        words.push_back(w);
        block = script::has_block_body(words);
      }
      if (block) {
        if (w == "begin" || (w == "case" && depth > 0))
          ++depth;
        else if (w == "end" && depth > 0)
          --depth;
      }
      i = j - 1;
    }
  }
  finish(sql.size());
  return out;
}

}  // namespace ctorm::detail
