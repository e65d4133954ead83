// Placeholder: being written.
#include "store/store.h"
