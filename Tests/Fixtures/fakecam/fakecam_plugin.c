/* A fake camera for libv4l2 tests: a libv4l2 plugin that claims every fd whose path contains "fakecam".
 *
 * Build: gcc -O2 -Wall -shared -fPIC -o libv4l-fakecam.so fakecam_plugin.c
 * Use:   an empty regular file named e.g. fakecam0 is the "device" (libv4l2 mmaps the real fd, so the file's
 *        pages back the buffers); put the .so next to a copy of libv4l-mplane.so in a folder and bind-mount
 *        that folder over /usr/lib/x86_64-linux-gnu/libv4l/plugins inside `unshare -m`.
 *
 * The camera offers YUYV at 640x360 and 1280x720, each at 30 and 15 fps. Frame n (the buffer's sequence) has
 * luma Y(x,y) = (x + y + n) & 0xFF, U(x) = (2 * (x/2) + n) & 0xFF, V(x) = (3 * (x/2) + 7) & 0xFF (chroma is the
 * same on every row, so 4:2:0 conversion keeps it exact). DQBUF is paced at the frame rate (EAGAIN before the
 * frame is due on an O_NONBLOCK fd, otherwise it sleeps) and buffers carry CLOCK_MONOTONIC timestamps.
 * Path words change the behaviour: "stall" stops delivering after 5 frames (EAGAIN forever), "unplug" fails
 * DQBUF with ENODEV after 5 frames, "drops" skips every 4th sequence number (frames 3, 7, 11 … are "lost"),
 * "range" offers stepwise sizes (160x120 to 1920x1080, steps 16x8) and continuous rates (5 to 30 fps).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/videodev2.h>
#include <libv4l-plugin.h>

#define NBUF_MAX 8
#define PAGE_ALIGN(n) (((n) + 4095u) & ~4095u)

static const struct { unsigned w, h; } sizes[] = { { 640, 360 }, { 1280, 720 } };
static const unsigned rates[] = { 30, 15 };

struct fake {
    int fd;
    unsigned w, h, fps;
    unsigned nbuf, frame;
    int streaming, queued[NBUF_MAX];
    int stall, unplug, drops, range;
    unsigned char *scratch;
    long long t0;   /* ns, CLOCK_MONOTONIC at STREAMON */
};

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
static unsigned frame_size(const struct fake *f) { return f->w * f->h * 2; }
static unsigned stride(const struct fake *f) { return PAGE_ALIGN(frame_size(f)); }

static void fill(const struct fake *f, unsigned char *p, unsigned n) {
    for (unsigned y = 0; y < f->h; y++) {
        unsigned char *row = p + (size_t)y * f->w * 2;
        for (unsigned x = 0; x < f->w; x += 2) {
            unsigned cx = x / 2;
            row[x * 2 + 0] = (unsigned char)(x + y + n);
            row[x * 2 + 1] = (unsigned char)(2 * cx + n);
            row[x * 2 + 2] = (unsigned char)(x + 1 + y + n);
            row[x * 2 + 3] = (unsigned char)(3 * cx + 7);
        }
    }
}

static void *fake_init(int fd) {
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return NULL;
    path[n] = 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strstr(base, "fakecam")) return NULL;   /* not ours: libv4l2 talks to the real device */
    struct fake *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->fd = fd; f->w = 640; f->h = 360; f->fps = 30;
    f->stall = strstr(base, "stall") != NULL;
    f->unplug = strstr(base, "unplug") != NULL;
    f->drops = strstr(base, "drops") != NULL;
    f->range = strstr(base, "range") != NULL;
    return f;
}
static void fake_close(void *priv) {
    struct fake *f = priv;
    free(f->scratch);
    free(f);
}

static unsigned fit(unsigned v, unsigned lo, unsigned hi, unsigned step) {
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    v = lo + (v - lo + step / 2) / step * step;
    return v > hi ? hi : v;
}
static void nearest_size(const struct fake *f, unsigned w, unsigned h, unsigned *ow, unsigned *oh) {
    if (f->range) { *ow = fit(w, 160, 1920, 16); *oh = fit(h, 120, 1080, 8); return; }
    unsigned best = 0; long long bestd = -1;
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        long long dw = (long long)sizes[i].w - w, dh = (long long)sizes[i].h - h, d = dw * dw + dh * dh;
        if (bestd < 0 || d < bestd) { bestd = d; best = i; }
    }
    *ow = sizes[best].w; *oh = sizes[best].h;
}
static void put_fmt(struct v4l2_format *fmt, unsigned w, unsigned h) {
    memset(&fmt->fmt.pix, 0, sizeof fmt->fmt.pix);
    fmt->fmt.pix.width = w; fmt->fmt.pix.height = h;
    fmt->fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV; fmt->fmt.pix.field = V4L2_FIELD_NONE;
    fmt->fmt.pix.bytesperline = w * 2; fmt->fmt.pix.sizeimage = w * h * 2;
    fmt->fmt.pix.colorspace = V4L2_COLORSPACE_SRGB;
}
static int fail(int e) { errno = e; return -1; }

static int fake_ioctl(void *priv, int fd, unsigned long req, void *arg) {
    struct fake *f = priv;
    (void)fd;
    switch (req) {
    case VIDIOC_QUERYCAP: {
        struct v4l2_capability *c = arg; memset(c, 0, sizeof *c);
        strcpy((char *)c->driver, "fakecam"); strcpy((char *)c->card, "Fake Camera (libv4l2 plugin)");
        strcpy((char *)c->bus_info, "platform:fakecam"); c->version = 0x060000;
        c->device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_READWRITE | V4L2_CAP_STREAMING;
        c->capabilities = c->device_caps | V4L2_CAP_DEVICE_CAPS;
        return 0; }
    case VIDIOC_ENUM_FMT: {
        struct v4l2_fmtdesc *d = arg;
        if (d->index != 0 || d->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return fail(EINVAL);
        d->pixelformat = V4L2_PIX_FMT_YUYV; d->flags = 0;
        snprintf((char *)d->description, sizeof d->description, "YUYV 4:2:2");
        return 0; }
    case VIDIOC_ENUM_FRAMESIZES: {
        struct v4l2_frmsizeenum *s = arg;
        if (f->range && s->pixel_format == V4L2_PIX_FMT_YUYV && s->index == 0) {
            s->type = V4L2_FRMSIZE_TYPE_STEPWISE;
            s->stepwise.min_width = 160; s->stepwise.max_width = 1920; s->stepwise.step_width = 16;
            s->stepwise.min_height = 120; s->stepwise.max_height = 1080; s->stepwise.step_height = 8;
            return 0;
        }
        if (f->range || s->pixel_format != V4L2_PIX_FMT_YUYV || s->index >= sizeof sizes / sizeof sizes[0]) return fail(EINVAL);
        s->type = V4L2_FRMSIZE_TYPE_DISCRETE;
        s->discrete.width = sizes[s->index].w; s->discrete.height = sizes[s->index].h;
        return 0; }
    case VIDIOC_ENUM_FRAMEINTERVALS: {
        struct v4l2_frmivalenum *i = arg;
        unsigned w, h;
        nearest_size(f, i->width, i->height, &w, &h);
        if (i->pixel_format != V4L2_PIX_FMT_YUYV || w != i->width || h != i->height
            || i->index >= (f->range ? 1 : sizeof rates / sizeof rates[0])) return fail(EINVAL);
        if (f->range) {
            i->type = V4L2_FRMIVAL_TYPE_CONTINUOUS;
            i->stepwise.min.numerator = 1; i->stepwise.min.denominator = 30;
            i->stepwise.max.numerator = 1; i->stepwise.max.denominator = 5;
            i->stepwise.step.numerator = 1; i->stepwise.step.denominator = 1;
            return 0;
        }
        i->type = V4L2_FRMIVAL_TYPE_DISCRETE;
        i->discrete.numerator = 1; i->discrete.denominator = rates[i->index];
        return 0; }
    case VIDIOC_G_FMT: {
        struct v4l2_format *fmt = arg;
        if (fmt->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return fail(EINVAL);
        put_fmt(fmt, f->w, f->h);
        return 0; }
    case VIDIOC_S_FMT: case VIDIOC_TRY_FMT: {
        struct v4l2_format *fmt = arg;
        unsigned w, h;
        if (fmt->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return fail(EINVAL);
        if (req == VIDIOC_S_FMT && f->nbuf) return fail(EBUSY);   /* like real drivers: free buffers first */
        nearest_size(f, fmt->fmt.pix.width, fmt->fmt.pix.height, &w, &h);
        put_fmt(fmt, w, h);
        if (req == VIDIOC_S_FMT) { f->w = w; f->h = h; }
        return 0; }
    case VIDIOC_G_PARM: case VIDIOC_S_PARM: {
        struct v4l2_streamparm *p = arg;
        if (p->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return fail(EINVAL);
        if (req == VIDIOC_S_PARM) {
            struct v4l2_fract t = p->parm.capture.timeperframe;
            double want = (t.numerator && t.denominator) ? (double)t.denominator / t.numerator : 30;
            if (f->range) f->fps = want < 5 ? 5 : want > 30 ? 30 : (unsigned)(want + 0.5);
            else f->fps = want >= 22.5 ? 30 : 15;
        }
        memset(&p->parm, 0, sizeof p->parm);
        p->parm.capture.capability = V4L2_CAP_TIMEPERFRAME;
        p->parm.capture.timeperframe.numerator = 1; p->parm.capture.timeperframe.denominator = f->fps;
        return 0; }
    case VIDIOC_ENUMINPUT: {
        struct v4l2_input *in = arg;
        if (in->index != 0) return fail(EINVAL);
        /* Clear everything: libv4lcontrol passes an uninitialised struct and reads `status`; stray
           V4L2_IN_ST_HFLIP/VFLIP bits there make libv4l2 flip the picture and hide the native format. */
        memset(in, 0, sizeof *in);
        strcpy((char *)in->name, "Fake"); in->type = V4L2_INPUT_TYPE_CAMERA;
        return 0; }
    case VIDIOC_G_INPUT: *(int *)arg = 0; return 0;
    case VIDIOC_S_INPUT: return *(int *)arg == 0 ? 0 : fail(EINVAL);
    case VIDIOC_REQBUFS: {
        struct v4l2_requestbuffers *r = arg;
        if (r->memory != V4L2_MEMORY_MMAP) return fail(EINVAL);
        if (f->streaming) return fail(EBUSY);
        if (r->count > NBUF_MAX) r->count = NBUF_MAX;
        f->nbuf = r->count; memset(f->queued, 0, sizeof f->queued);
        if (f->nbuf && ftruncate(f->fd, (off_t)f->nbuf * stride(f)) != 0) return -1;   /* file pages back the buffers */
        return 0; }
    case VIDIOC_QUERYBUF: case VIDIOC_QBUF: {
        struct v4l2_buffer *b = arg;
        if (b->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || b->index >= f->nbuf) return fail(EINVAL);
        b->length = frame_size(f); b->m.offset = b->index * stride(f); b->bytesused = 0;
        b->flags = V4L2_BUF_FLAG_MAPPED | V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC;
        if (req == VIDIOC_QBUF) { f->queued[b->index] = 1; b->flags |= V4L2_BUF_FLAG_QUEUED; }
        return 0; }
    case VIDIOC_DQBUF: {
        struct v4l2_buffer *b = arg;
        if (!f->streaming) return fail(EINVAL);
        if (f->unplug && f->frame >= 5) return fail(ENODEV);
        if (f->stall && f->frame >= 5) return fail(EAGAIN);
        long long due = f->t0 + (long long)f->frame * 1000000000LL / f->fps, now = now_ns();
        if (now < due) {
            if (fcntl(f->fd, F_GETFL) & O_NONBLOCK) return fail(EAGAIN);
            struct timespec ts = { (time_t)((due - now) / 1000000000LL), (long)((due - now) % 1000000000LL) };
            nanosleep(&ts, NULL);
            now = now_ns();
        }
        if (f->drops && f->frame % 4 == 3) f->frame++;   /* this one was "lost" */
        for (unsigned i = 0; i < f->nbuf; i++) {
            unsigned idx = (f->frame + i) % f->nbuf;
            if (!f->queued[idx]) continue;
            unsigned size = frame_size(f);
            unsigned char *p = realloc(f->scratch, size);
            if (!p) return fail(ENOMEM);
            f->scratch = p;
            fill(f, p, f->frame);
            if (pwrite(f->fd, p, size, (off_t)idx * stride(f)) != (ssize_t)size) return -1;
            f->queued[idx] = 0;
            memset(b, 0, sizeof *b);
            b->type = V4L2_BUF_TYPE_VIDEO_CAPTURE; b->memory = V4L2_MEMORY_MMAP;
            b->index = idx; b->bytesused = size; b->length = size; b->m.offset = idx * stride(f);
            b->sequence = f->frame++; b->field = V4L2_FIELD_NONE;
            b->flags = V4L2_BUF_FLAG_MAPPED | V4L2_BUF_FLAG_DONE | V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC;
            b->timestamp.tv_sec = now / 1000000000LL; b->timestamp.tv_usec = (now % 1000000000LL) / 1000;
            return 0;
        }
        return fail(EAGAIN); }
    case VIDIOC_STREAMON:
        if (!f->nbuf) return fail(EINVAL);
        f->streaming = 1; f->frame = 0; f->t0 = now_ns(); return 0;
    case VIDIOC_STREAMOFF: f->streaming = 0; memset(f->queued, 0, sizeof f->queued); return 0;
    default:
        return fail(ENOTTY);
    }
}
static ssize_t fake_read(void *priv, int fd, void *buf, size_t n) {
    struct fake *f = priv;
    (void)fd;
    unsigned size = frame_size(f);
    unsigned char *p = realloc(f->scratch, size);
    if (!p) return fail(ENOMEM);
    f->scratch = p;
    fill(f, p, f->frame++);
    if (n > size) n = size;
    memcpy(buf, p, n);
    return (ssize_t)n;
}
__attribute__((visibility("default")))
const struct libv4l_dev_ops libv4l2_plugin = {
    .init = fake_init, .close = fake_close, .ioctl = fake_ioctl, .read = fake_read,
};
