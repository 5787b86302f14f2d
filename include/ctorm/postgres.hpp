#pragma once
// The PostgreSQL backend on top of ctorm.hpp: `ctorm::Orm<Schema, ctorm::postgres>`. Link ctorm::postgres.
#include "ctorm.hpp"
#include "db/postgres/backend.hpp"
