// The one translation unit that holds Catch2's main(); every tests/test_*.cpp links against it.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
