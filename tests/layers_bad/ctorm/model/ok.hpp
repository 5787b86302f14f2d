#pragma once
// Includes of the header's own layer and of layers below it are fine, however they are written.
#include <ctorm/db/value.hpp>
#include <string>
#include "../config.hpp"
#include "../db/value.hpp"
#include "uses_em.hpp"
