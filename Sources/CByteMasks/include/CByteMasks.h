// The module's umbrella: the mask kernels, the candidate stage built on them, a byte-class
// table, the verifiers that run in C (dotted quads, e-mail shapes, IPv6 text, personnummer),
// a prefetch, and the username keys both sides use.
#include "ByteMasks.h"
#include "ByteTable.h"
#include "Candidates.h"
#include "DottedQuad.h"
#include "EmailShape.h"
#include "IPv6Text.h"
#include "Personnummer.h"
#include "Prefetch.h"
#include "UsernameKeys.h"
#include "WordSearch.h"
