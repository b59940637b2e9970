#include "proto/reliable.hpp"
