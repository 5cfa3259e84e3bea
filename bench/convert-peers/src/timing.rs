use std::time::{Duration, Instant};

pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    let n = xs.len();
    if n == 0 {
        Duration::ZERO
    } else if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2
    }
}

/// The median of non-negative numbers (ratios), by way of [`median`] (to the nanosecond, that is
/// nine decimal places).
pub fn median_f64(xs: Vec<f64>) -> f64 {
    median(xs.into_iter().map(Duration::from_secs_f64).collect()).as_secs_f64()
}

/// User + system CPU time of this process (all threads) or of its reaped children.
pub fn cpu_time(children: bool) -> Duration {
    let who = if children {
        libc::RUSAGE_CHILDREN
    } else {
        libc::RUSAGE_SELF
    };
    // SAFETY: getrusage only writes into the zeroed struct we own.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(who, &mut ru);
        ru
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Wall time of one call and the CPU it burnt; CPU well above wall means extra threads.
pub fn timed<T>(f: impl FnOnce() -> T) -> (Duration, Duration, T) {
    let cpu0 = cpu_time(false);
    let t0 = Instant::now();
    let out = f();
    let wall = t0.elapsed();
    (wall, cpu_time(false).saturating_sub(cpu0), out)
}

pub fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

pub fn fmt_dur(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}
