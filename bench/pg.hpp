// ctorm bench: small libpq helpers shared by the PostgreSQL harness (pg_fixture.cpp) and the raw libpq
// contenders (raw_pg_contender.cpp). Results are read in binary: a bigint is 8 bytes in network order, a
// text value its bytes.
#pragma once

#include <endian.h>  // be64toh, htobe64
#include <libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

namespace ctorm_bench::pg {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnCloser>;
using Result = std::unique_ptr<PGresult, ResultClearer>;

[[noreturn]] inline void fail(PGconn* c, const std::string& what) {
  throw std::runtime_error(what + ": " + (c ? PQerrorMessage(c) : "no connection"));
}

inline Conn connect(const std::string& conninfo) {
  Conn c{PQconnectdb(conninfo.c_str())};
  if (!c || PQstatus(c.get()) != CONNECTION_OK) fail(c.get(), "cannot connect to PostgreSQL (" + conninfo + ")");
  return c;
}

// Checks that r has the status expected of it, and owns it.
inline Result check(PGconn* c, PGresult* r, ExecStatusType expected, const char* what) {
  Result res{r};
  if (PQresultStatus(r) != expected) {
    const char* msg = r ? PQresultErrorMessage(r) : "";
    throw std::runtime_error(std::string(what) + ": " + (*msg ? msg : PQerrorMessage(c)));
  }
  return res;
}

// A statement without parameters or a result, outside pipeline mode.
inline void exec(PGconn* c, const char* sql) { check(c, PQexec(c, sql), PGRES_COMMAND_OK, sql); }

// conninfo (a connection string or URI) with its database replaced by dbname, as a connection string.
inline std::string with_dbname(const std::string& conninfo, const std::string& dbname) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "out of memory";
    PQfreemem(err);
    throw std::runtime_error("bad PostgreSQL connection string '" + conninfo + "': " + msg);
  }
  auto quoted = [](const std::string& v) {
    std::string q = "'";
    for (char ch : v) {
      if (ch == '\'' || ch == '\\') q += '\\';
      q += ch;
    }
    return q + "'";
  };
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val && std::strcmp(o->keyword, "dbname") != 0) (out += o->keyword) += "=" + quoted(o->val) + " ";
  PQconninfoFree(opts);
  return out + "dbname=" + quoted(dbname);
}

// Binary result values.
inline std::int64_t int8(const PGresult* r, int row, int col) {
  std::uint64_t v;
  std::memcpy(&v, PQgetvalue(r, row, col), 8);
  return static_cast<std::int64_t>(be64toh(v));
}
inline void text(const PGresult* r, int row, int col, std::string& out) {
  out.assign(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
}

// The parameters of one execution, all in binary (so libpq takes their lengths instead of running strlen,
// and a bigint is not printed and parsed). Text is referenced, not copied: keep it alive until the call.
template <int N>
class Params {
 public:
  Params() { std::fill(std::begin(formats_), std::end(formats_), 1); }
  Params& text(const std::string& s) {
    values_[n_] = s.data();
    lengths_[n_++] = static_cast<int>(s.size());
    return *this;
  }
  Params& int8(std::int64_t v) {
    ints_[n_] = htobe64(static_cast<std::uint64_t>(v));
    values_[n_] = reinterpret_cast<const char*>(&ints_[n_]);
    lengths_[n_++] = 8;
    return *this;
  }
  void clear() { n_ = 0; }
  int size() const { return n_; }
  const char* const* values() const { return values_; }
  const int* lengths() const { return lengths_; }
  const int* formats() const { return formats_; }

 private:
  const char* values_[N] = {};
  int lengths_[N] = {};
  int formats_[N];
  std::uint64_t ints_[N] = {};
  int n_ = 0;
};

}  // namespace ctorm_bench::pg
