/* ferry bench: double-precision kernel -- an n-body simulation, a
 * Mandelbrot set and a dense matrix multiply; prints results to 9 digits.
 * Built with -ffp-contract=off on both architectures so no fused
 * multiply-add changes the rounding.  Usage: fpmix SCALE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define BODIES 5

struct body { double x, y, z, vx, vy, vz, mass; };

static double energy(const struct body *b)
{
    double e = 0.0;
    for (int i = 0; i < BODIES; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < BODIES; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static double nbody(long steps)
{
    const double pi = 3.141592653589793, solar = 4 * pi * pi, days = 365.24;
    struct body b[BODIES] = {
        { 0, 0, 0, 0, 0, 0, solar },
        { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
          1.66007664274403694e-03 * days, 7.69901118419740425e-03 * days,
          -6.90460016972063023e-05 * days, 9.54791938424326609e-04 * solar },
        { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
          -2.76742510726862411e-03 * days, 4.99852801234917238e-03 * days,
          2.30417297573763929e-05 * days, 2.85885980666130812e-04 * solar },
        { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
          2.96460137564761618e-03 * days, 2.37847173959480950e-03 * days,
          -2.96589568540237556e-05 * days, 4.36624404335156298e-05 * solar },
        { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
          2.68067772490389322e-03 * days, 1.62824170038242295e-03 * days,
          -9.51592254519715870e-05 * days, 5.15138902046611451e-05 * solar },
    };
    const double dt = 0.01;
    for (long s = 0; s < steps; s++) {
        for (int i = 0; i < BODIES; i++)
            for (int j = i + 1; j < BODIES; j++) {
                double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = dt / (d2 * sqrt(d2));
                b[i].vx -= dx * b[j].mass * mag; b[i].vy -= dy * b[j].mass * mag;
                b[i].vz -= dz * b[j].mass * mag;
                b[j].vx += dx * b[i].mass * mag; b[j].vy += dy * b[i].mass * mag;
                b[j].vz += dz * b[i].mass * mag;
            }
        for (int i = 0; i < BODIES; i++) {
            b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz;
        }
    }
    return energy(b);
}

static long mandelbrot(int size)
{
    long inside = 0;
    for (int py = 0; py < size; py++)
        for (int px = 0; px < size; px++) {
            double cr = 2.0 * px / size - 1.5, ci = 2.0 * py / size - 1.0;
            double zr = 0, zi = 0;
            int k = 0;
            while (k < 50 && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                k++;
            }
            inside += k == 50;
        }
    return inside;
}

static double matmul_trace(int n)
{
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n);
    double *c = calloc((size_t)n * n, sizeof(double));
    for (int i = 0; i < n * n; i++) {
        a[i] = (i % 17) * 0.25 - 1.5;
        b[i] = (i % 13) * 0.5 - 2.75;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            double aik = a[i * n + k];
            for (int j = 0; j < n; j++)
                c[i * n + j] += aik * b[k * n + j];
        }
    double trace = 0;
    for (int i = 0; i < n; i++)
        trace += c[i * n + i] / (1.0 + i);
    free(a); free(b); free(c);
    return trace;
}

int main(int argc, char **argv)
{
    long scale = argc > 1 ? atol(argv[1]) : 10;
    printf("nbody  %.9f\n", nbody(100000 * scale));
    printf("mandel %ld\n", mandelbrot(200 + 40 * (int)scale));
    printf("matmul %.9f\n", matmul_trace(60 + 16 * (int)scale));
    return 0;
}
