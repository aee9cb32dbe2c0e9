// Counts calls to malloc, calloc, realloc and the aligned allocators (posix_memalign, aligned_alloc, memalign,
// valloc, pvalloc: Swift allocates anything aligned beyond 16 bytes through posix_memalign) in a process
// (LD_PRELOAD), and prints the total when it exits.
// Used by tools/allocations-per-step to check that the engine allocates nothing per time step after warm-up.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_long calls;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);

// dlsym itself may calloc before real_calloc is known: those few come from a static buffer.
static char early[4096];
static size_t early_used;

void *malloc(size_t n) {
    if (!real_malloc) real_malloc = dlsym(RTLD_NEXT, "malloc");
    atomic_fetch_add(&calls, 1);
    return real_malloc(n);
}

void *calloc(size_t count, size_t n) {
    if (!real_calloc) {
        size_t size = (count * n + 15) & ~(size_t)15;
        if (early_used + size > sizeof early) return NULL;
        void *p = early + early_used;
        early_used += size;
        real_calloc = dlsym(RTLD_NEXT, "calloc");
        return p;
    }
    atomic_fetch_add(&calls, 1);
    return real_calloc(count, n);
}

void *realloc(void *p, size_t n) {
    if ((char *)p >= early && (char *)p < early + sizeof early) {
        // One of dlsym's early blocks: move it to the real heap (its size is unknown; copy what can be there).
        void *q = malloc(n);
        size_t room = (size_t)(early + sizeof early - (char *)p);
        if (q) memcpy(q, p, n < room ? n : room);
        return q;
    }
    if (!real_realloc) real_realloc = dlsym(RTLD_NEXT, "realloc");
    atomic_fetch_add(&calls, 1);
    return real_realloc(p, n);
}

int posix_memalign(void **out, size_t alignment, size_t n) {
    static int (*real)(void **, size_t, size_t);
    if (!real) real = dlsym(RTLD_NEXT, "posix_memalign");
    atomic_fetch_add(&calls, 1);
    return real(out, alignment, n);
}

void *aligned_alloc(size_t alignment, size_t n) {
    static void *(*real)(size_t, size_t);
    if (!real) real = dlsym(RTLD_NEXT, "aligned_alloc");
    atomic_fetch_add(&calls, 1);
    return real(alignment, n);
}

void *memalign(size_t alignment, size_t n) {
    static void *(*real)(size_t, size_t);
    if (!real) real = dlsym(RTLD_NEXT, "memalign");
    atomic_fetch_add(&calls, 1);
    return real(alignment, n);
}

void *valloc(size_t n) {
    static void *(*real)(size_t);
    if (!real) real = dlsym(RTLD_NEXT, "valloc");
    atomic_fetch_add(&calls, 1);
    return real(n);
}

void *pvalloc(size_t n) {
    static void *(*real)(size_t);
    if (!real) real = dlsym(RTLD_NEXT, "pvalloc");
    atomic_fetch_add(&calls, 1);
    return real(n);
}

void free(void *p) {
    static void (*real_free)(void *);
    if ((char *)p >= early && (char *)p < early + sizeof early) return;
    if (!real_free) real_free = dlsym(RTLD_NEXT, "free");
    real_free(p);
}

__attribute__((destructor)) static void report(void) { fprintf(stderr, "allocations: %ld\n", atomic_load(&calls)); }
