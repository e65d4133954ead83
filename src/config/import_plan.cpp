// Placeholder: being written.
#include "config/import_plan.h"
