#pragma once
// Migrations: `orm.migrations({.folder = "migrations"}).up();`. A header of its own, outside
// <ctorm/ctorm.hpp>, so that only the programs that run migrations compile the migrator (see Migrator).
#include "orm.hpp"
#include "schema/migrator.hpp"
