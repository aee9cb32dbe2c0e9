// Counts calls to malloc, calloc and realloc in a process (LD_PRELOAD) and prints the total when it exits.
// Used by tools/allocations-per-step to check that the engine allocates nothing per time step after warm-up.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

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
    if (!real_realloc) real_realloc = dlsym(RTLD_NEXT, "realloc");
    atomic_fetch_add(&calls, 1);
    return real_realloc(p, n);
}

void free(void *p) {
    static void (*real_free)(void *);
    if ((char *)p >= early && (char *)p < early + sizeof early) return;
    if (!real_free) real_free = dlsym(RTLD_NEXT, "free");
    real_free(p);
}

__attribute__((destructor)) static void report(void) { fprintf(stderr, "allocations: %ld\n", atomic_load(&calls)); }
