// ctorm bench: checksums of what a workload produced.
//
// Every contender reduces the objects it produced (and the harness reduces the database afterwards) to a
// Checksum; the harness compares it with the checksum expected from the deterministic data, so a fast
// wrong answer cannot pass. Hashing is done OUTSIDE the timed section.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ctorm_bench {

inline std::uint64_t mix64(std::uint64_t x) noexcept {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// A simple 64-bit string hash, 8 bytes per step; the length takes part so "ab","c" != "a","bc".
inline std::uint64_t hash_text(std::string_view s) noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (s.size() * 0xff51afd7ed558ccdULL);
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ mix64(w)) * 0x100000001b3ULL;
  }
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i < s.size(); ++i, ++k) tail |= std::uint64_t(static_cast<unsigned char>(s[i])) << (8 * k);
  return mix64(h ^ mix64(tail + 0x632be59bd9b4e019ULL));
}

struct Checksum {
  std::uint64_t rows = 0;        // rows (objects) produced; W5 counts users + articles
  std::uint64_t id_sum = 0;      // sum of primary keys
  std::uint64_t text_bytes = 0;  // sum of string lengths
  std::uint64_t hash = 0;        // order-independent: sum of row hashes
  std::uint64_t seq = 0;         // order-dependent: chained row hashes (checked only where order is defined)

  void add(std::int64_t id, std::uint64_t row_hash, std::uint64_t bytes) noexcept {
    ++rows;
    id_sum += static_cast<std::uint64_t>(id);
    text_bytes += bytes;
    hash += row_hash;
    seq = mix64(seq + row_hash + 0x2545f4914f6cdd1dULL);
  }

  // A user row: call once per object produced, with the object's fields.
  void add_user(std::int64_t id, std::string_view full_name, std::string_view email, std::string_view password,
                std::string_view bio, std::int64_t created_at) noexcept {
    std::uint64_t h = mix64(0x55 ^ static_cast<std::uint64_t>(id));
    h = mix64(h ^ hash_text(full_name));
    h = mix64(h ^ hash_text(email));
    h = mix64(h ^ hash_text(password));
    h = mix64(h ^ hash_text(bio));
    h = mix64(h ^ static_cast<std::uint64_t>(created_at));
    add(id, h, full_name.size() + email.size() + password.size() + bio.size());
  }

  // An article row. owner_id is the id of the user object the article is attached to (W5), or the
  // article's author_id where there is no owner object.
  void add_article(std::int64_t owner_id, std::int64_t id, std::string_view slug, std::string_view title,
                   std::string_view description, std::string_view text, std::int64_t author_id,
                   std::int64_t created_at) noexcept {
    std::uint64_t h = mix64(0xa7 ^ static_cast<std::uint64_t>(id));
    h = mix64(h ^ static_cast<std::uint64_t>(owner_id) * 0x9e3779b97f4a7c15ULL);
    h = mix64(h ^ hash_text(slug));
    h = mix64(h ^ hash_text(title));
    h = mix64(h ^ hash_text(description));
    h = mix64(h ^ hash_text(text));
    h = mix64(h ^ static_cast<std::uint64_t>(author_id));
    h = mix64(h ^ static_cast<std::uint64_t>(created_at));
    add(id, h, slug.size() + title.size() + description.size() + text.size());
  }

  // A bare key (W6: a key the contender deleted).
  void add_key(std::int64_t id) noexcept { add(id, mix64(0x3d ^ static_cast<std::uint64_t>(id)), 0); }

  bool same_unordered(const Checksum& o) const noexcept {
    return rows == o.rows && id_sum == o.id_sum && text_bytes == o.text_bytes && hash == o.hash;
  }
  bool same(const Checksum& o, bool ordered) const noexcept { return same_unordered(o) && (!ordered || seq == o.seq); }
  std::string str() const;  // defined in fixture.cpp
};

}  // namespace ctorm_bench
