// The module's umbrella: the mask kernels and the candidate stage built on them.
#include "ByteMasks.h"
#include "Candidates.h"
#include "DottedQuad.h"
#include "IPv6Text.h"
