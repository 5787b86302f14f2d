#pragma once
// A header of the model that includes the entity manager, a layer above it, twice (both ways of writing an
// include): ctorm.layers_catch_bad_include checks that cmake/ctorm_check_layers.cmake reports both, and
// nothing in ok.hpp.
#include "../em/manager.hpp"
#include <ctorm/em/manager.hpp>
#include "ok.hpp"
