#pragma once
// The one header a user includes.
#include "db/error.hpp"
#include "model/options.hpp"
#include "model/schema.hpp"
#include "model/type_mapping.hpp"
#include "orm.hpp"
#include "query/condition.hpp"
#include "sql/ddl.hpp"
#include "sql/naming.hpp"
