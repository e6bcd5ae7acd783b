// The module's umbrella: the mask kernels, the candidate stage built on them, a byte-class
// table, and a prefetch.
#include "ByteMasks.h"
#include "ByteTable.h"
#include "Candidates.h"
#include "DottedQuad.h"
#include "IPv6Text.h"
#include "Prefetch.h"
#include "WordSearch.h"
