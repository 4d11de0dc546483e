// The floor of an exact no-op on this machine: statx on every file under a folder from N threads, nothing else.
// What BuildImages' no-op adds on top of this is what it costs; this is what it cannot go below.
//   gcc -O2 -pthread tests/BuildImages.Benchmarks/floor/statx-floor.c -o /tmp/statx-floor
//   /tmp/statx-floor SITE/og [THREADS]     (files directly in the folder, as the bench site has them)
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static char **names;
static long count;
static int threads = 2;
static const char *folder;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

// Each thread holds its own descriptor of the folder, as the no-op does (a shared one is a contended reference count).
static void *run(void *arg)
{
    long first = (long)arg;
    int fd = open(folder, O_PATH | O_CLOEXEC);
    struct statx st;
    long missing = 0;
    for (long i = first; i < count; i += threads)
    {
        if (statx(fd, names[i], 0, STATX_SIZE | STATX_MTIME, &st) != 0)
        {
            missing++;
        }
    }
    return (void *)missing;
}

int main(int argc, char **argv)
{
    if (argc < 2)
    {
        fprintf(stderr, "usage: statx-floor FOLDER [THREADS]\n");
        return 2;
    }
    folder = argv[1];
    threads = argc > 2 ? atoi(argv[2]) : 2;
    DIR *dir = opendir(folder);
    if (!dir)
    {
        perror(folder);
        return 1;
    }
    long capacity = 1 << 20;
    names = malloc(capacity * sizeof(char *));
    struct dirent *e;
    while ((e = readdir(dir)))
    {
        if (e->d_type != DT_REG)
        {
            continue;
        }
        if (count == capacity)
        {
            names = realloc(names, (capacity *= 2) * sizeof(char *));
        }
        names[count++] = strdup(e->d_name);
    }
    closedir(dir);
    for (int round = 0; round < 3; round++)
    {
        double start = now();
        pthread_t t[64];
        for (long i = 0; i < threads && i < 64; i++)
        {
            pthread_create(&t[i], NULL, run, (void *)i);
        }
        long missing = 0;
        for (long i = 0; i < threads && i < 64; i++)
        {
            void *m;
            pthread_join(t[i], &m);
            missing += (long)m;
        }
        printf("%ld files, %d threads: %.3f s (%ld missing)\n", count, threads, now() - start, missing);
    }
    return 0;
}
