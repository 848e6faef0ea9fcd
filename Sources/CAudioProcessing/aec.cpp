// Bridges WebRTC AudioProcessing (C++) and speexdsp (C) to the plain C API in CAudioProcessing.h.
#include "CAudioProcessing.h"

#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <deque>
#include <vector>

#include <webrtc/modules/audio_processing/include/audio_processing.h>
#include <webrtc/modules/interface/module_common_types.h>
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

namespace {

void set_err(char *err, int len, const char *msg) {
    if (err && len > 0) snprintf(err, (size_t)len, "%s", msg);
}

// One mono pipeline of speexdsp: an MDF echo canceller followed by the preprocessor (residual echo,
// noise suppression, AGC). Stereo runs two of them.
struct SpeexChannel {
    SpeexEchoState *echo = nullptr;
    SpeexPreprocessState *pre = nullptr;
};

}  // namespace

struct webex_aec {
    std::mutex lock;
    int engine = 0;
    int rate = 0;
    int channels = 0;
    int block = 0;  // samples per channel per 10 ms
    bool aec = false;
    // WebRTC
    webrtc::AudioProcessing *apm = nullptr;
    webrtc::AudioFrame frame;
    // speex
    std::vector<SpeexChannel> sp;
    std::vector<int16_t> in, far, out;
    std::deque<std::vector<int16_t>> fifo;  // far blocks (interleaved) waiting for their echo
    std::vector<int16_t> silence;
};

// speexdsp: the far block paired with a near block is the one played `lead` blocks earlier, where
// lead follows the delay hint minus a margin; the 200 ms adaptive filter covers the rest and the room
// tail, so a true delay within about [hint - 70 ms, hint + 100 ms] is cancelled.
static const int kSpeexTailMs = 200;
static const int kSpeexMarginMs = 70;
static const size_t kSpeexMaxQueued = 60;  // 600 ms: beyond that the oldest far blocks are dropped

extern "C" webex_aec *webex_aec_create(int engine, int sample_rate, int channels, int echo_cancellation,
                                       int noise_suppression, int gain_control, char *err, int err_len) {
    if (sample_rate != 8000 && sample_rate != 16000 && sample_rate != 32000 && sample_rate != 48000) {
        set_err(err, err_len, "sample rate must be 8000, 16000, 32000 or 48000 Hz");
        return nullptr;
    }
    if (channels != 1 && channels != 2) {
        set_err(err, err_len, "channels must be 1 or 2");
        return nullptr;
    }
    webex_aec *a = new (std::nothrow) webex_aec();
    if (!a) { set_err(err, err_len, "out of memory"); return nullptr; }
    a->engine = engine;
    a->rate = sample_rate;
    a->channels = channels;
    a->block = sample_rate / 100;
    a->aec = echo_cancellation != 0;

    if (engine == WEBEX_AEC_ENGINE_WEBRTC) {
        webrtc::Config config;
        // Extended filter (128 ms) and delay-agnostic mode: robust when the delay hint is wrong.
        config.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(true));
        config.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(true));
        // The experimental AGC drives an analog mic volume we do not control; use the digital one.
        config.Set<webrtc::ExperimentalAgc>(new webrtc::ExperimentalAgc(false));
        webrtc::AudioProcessing *apm = webrtc::AudioProcessing::Create(config);
        if (!apm) { delete a; set_err(err, err_len, "webrtc::AudioProcessing::Create failed"); return nullptr; }
        a->apm = apm;
        int r = apm->Initialize(sample_rate, sample_rate, sample_rate,
                                channels == 2 ? webrtc::AudioProcessing::kStereo : webrtc::AudioProcessing::kMono,
                                channels == 2 ? webrtc::AudioProcessing::kStereo : webrtc::AudioProcessing::kMono,
                                channels == 2 ? webrtc::AudioProcessing::kStereo : webrtc::AudioProcessing::kMono);
        if (r != 0) {
            char m[80]; snprintf(m, sizeof m, "AudioProcessing::Initialize failed (%d)", r);
            set_err(err, err_len, m); webex_aec_destroy(a); return nullptr;
        }
        apm->high_pass_filter()->Enable(true);
        apm->echo_cancellation()->enable_drift_compensation(false);
        // Low suppression ducks the near talker least during double talk (measured: -6 dB vs -11 dB at high).
        apm->echo_cancellation()->set_suppression_level(webrtc::EchoCancellation::kLowSuppression);
        apm->echo_cancellation()->Enable(a->aec);
        apm->noise_suppression()->set_level(webrtc::NoiseSuppression::kModerate);
        apm->noise_suppression()->Enable(noise_suppression != 0);
        apm->gain_control()->set_mode(webrtc::GainControl::kAdaptiveDigital);
        apm->gain_control()->set_target_level_dbfs(3);
        apm->gain_control()->set_compression_gain_db(9);
        apm->gain_control()->enable_limiter(true);
        apm->gain_control()->Enable(gain_control != 0);
        return a;
    }
    if (engine == WEBEX_AEC_ENGINE_SPEEX) {
        int tail = sample_rate / 1000 * kSpeexTailMs;
        a->sp.resize((size_t)channels);
        for (auto &c : a->sp) {
            if (a->aec) {
                c.echo = speex_echo_state_init(a->block, tail);
                int rate = sample_rate;
                speex_echo_ctl(c.echo, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
            }
            if (!a->aec && !noise_suppression && !gain_control) continue;  // nothing to do: pass through
            c.pre = speex_preprocess_state_init(a->block, sample_rate);
            int on = noise_suppression != 0;
            speex_preprocess_ctl(c.pre, SPEEX_PREPROCESS_SET_DENOISE, &on);
            int agc = gain_control != 0;
            speex_preprocess_ctl(c.pre, SPEEX_PREPROCESS_SET_AGC, &agc);
            if (agc) {
                float level = 8000;  // target speech level (about -12 dBFS)
                speex_preprocess_ctl(c.pre, SPEEX_PREPROCESS_SET_AGC_LEVEL, &level);
                int maxGain = 24;  // dB; more lifts room noise in pauses
                speex_preprocess_ctl(c.pre, SPEEX_PREPROCESS_SET_AGC_MAX_GAIN, &maxGain);
            }
            if (c.echo) speex_preprocess_ctl(c.pre, SPEEX_PREPROCESS_SET_ECHO_STATE, c.echo);
        }
        a->in.resize((size_t)a->block);
        a->far.resize((size_t)a->block);
        a->out.resize((size_t)a->block);
        a->silence.assign((size_t)(a->block * channels), 0);
        return a;
    }
    delete a;
    set_err(err, err_len, "unknown engine");
    return nullptr;
}

extern "C" void webex_aec_destroy(webex_aec *a) {
    if (!a) return;
    delete a->apm;
    for (auto &c : a->sp) {
        if (c.pre) speex_preprocess_state_destroy(c.pre);
        if (c.echo) speex_echo_state_destroy(c.echo);
    }
    delete a;
}

static void load_frame(webex_aec *a, const int16_t *block) {
    a->frame.UpdateFrame(0, 0, block, (size_t)a->block, a->rate, webrtc::AudioFrame::kNormalSpeech,
                         webrtc::AudioFrame::kVadUnknown, a->channels);
}

extern "C" int webex_aec_reverse(webex_aec *a, const int16_t *block) {
    if (!a || !block) return -1;
    std::lock_guard<std::mutex> g(a->lock);
    if (a->apm) {
        load_frame(a, block);
        return a->apm->ProcessReverseStream(&a->frame);
    }
    if (!a->aec) return 0;
    a->fifo.emplace_back(block, block + a->block * a->channels);
    while (a->fifo.size() > kSpeexMaxQueued) a->fifo.pop_front();
    return 0;
}

extern "C" int webex_aec_process(webex_aec *a, int16_t *block, int delay_ms) {
    if (!a || !block) return -1;
    std::lock_guard<std::mutex> g(a->lock);
    if (a->apm) {
        load_frame(a, block);
        a->apm->set_stream_delay_ms(delay_ms < 0 ? 0 : delay_ms);
        int r = a->apm->ProcessStream(&a->frame);
        memcpy(block, a->frame.data_, sizeof(int16_t) * (size_t)(a->block * a->channels));
        return r;
    }
    const int16_t *farBlock = a->silence.data();
    std::vector<int16_t> popped;
    if (a->aec) {
        int margin = kSpeexMarginMs;
        size_t lead = (size_t)((delay_ms > margin ? delay_ms - margin : 0) / 10);
        // Far blocks pile up when playback runs ahead (clock drift, a burst): drop the excess.
        while (a->fifo.size() > lead + 10) a->fifo.pop_front();
        if (a->fifo.size() > lead) {
            popped = std::move(a->fifo.front());
            a->fifo.pop_front();
            farBlock = popped.data();
        }
    }
    for (int ch = 0; ch < a->channels; ch++) {
        SpeexChannel &c = a->sp[(size_t)ch];
        for (int i = 0; i < a->block; i++) a->in[(size_t)i] = block[i * a->channels + ch];
        int16_t *p = a->in.data();
        if (c.echo) {
            for (int i = 0; i < a->block; i++) a->far[(size_t)i] = farBlock[i * a->channels + ch];
            speex_echo_cancellation(c.echo, a->in.data(), a->far.data(), a->out.data());
            p = a->out.data();
        }
        if (c.pre) speex_preprocess_run(c.pre, p);
        for (int i = 0; i < a->block; i++) block[i * a->channels + ch] = p[i];
    }
    return 0;
}

extern "C" int webex_aec_has_echo(webex_aec *a) {
    if (!a) return -1;
    std::lock_guard<std::mutex> g(a->lock);
    if (a->apm) return a->apm->echo_cancellation()->stream_has_echo() ? 1 : 0;
    return -1;
}
