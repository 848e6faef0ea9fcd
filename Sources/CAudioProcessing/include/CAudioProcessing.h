/* C API over the two echo-cancellation libraries, linked statically:
 * WebRTC's AudioProcessing (libwebrtc-audio-processing 0.3, C++) and speexdsp (C).
 * All calls on one handle are serialised by a mutex inside, so the playback thread may call
 * webex_aec_reverse while the capture thread calls webex_aec_process. */
#ifndef WEBEX_CAUDIOPROCESSING_H
#define WEBEX_CAUDIOPROCESSING_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct webex_aec webex_aec;

enum { WEBEX_AEC_ENGINE_WEBRTC = 0, WEBEX_AEC_ENGINE_SPEEX = 1 };

/* Creates a processor for 10 ms blocks of interleaved S16 at sample_rate (8000/16000/32000/48000)
 * and 1 or 2 channels. Returns NULL and writes a reason into err (if err_len > 0) on failure. */
webex_aec *webex_aec_create(int engine, int sample_rate, int channels, int echo_cancellation,
                            int noise_suppression, int gain_control, char *err, int err_len);
void webex_aec_destroy(webex_aec *aec);
/* Far end (what is played), one 10 ms block of sample_rate/100 * channels samples. Returns 0 or a
 * negative library error code. */
int webex_aec_reverse(webex_aec *aec, const int16_t *block);
/* Near end (what the microphone captured), one 10 ms block, processed in place. delay_ms is the hint
 * for how late the echo of a reverse block arrives in the capture. Returns 0 or a negative code. */
int webex_aec_process(webex_aec *aec, int16_t *block, int delay_ms);
/* 1 when the last processed block was judged to contain echo (WebRTC only; speex returns -1). */
int webex_aec_has_echo(webex_aec *aec);

#ifdef __cplusplus
}
#endif
#endif
