//! The solver's web worker: reads a job, runs it, posts progress and the reply.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    use kplan_web::engine;
    use kplan_web::protocol::{Job, READY, Reply, ReplyBody};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// Seconds from the browser's clock (the core never reads one itself).
    struct BrowserClock;
    impl kplan_core::solve::Clock for BrowserClock {
        fn now(&self) -> f64 {
            js_sys::Date::now() / 1000.0
        }
    }

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post_scope = scope.clone();
    let post = move |reply: Reply| {
        let _ = post_scope.post_message(&JsValue::from_str(&reply.to_text()));
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let text = e.data().as_string().unwrap_or_default();
        let job = match Job::from_text(&text) {
            Ok(j) => j,
            Err(message) => return post(Reply { id: 0, body: ReplyBody::Failed { message } }),
        };
        let id = job.id;
        let mut progress = |done: usize, total: usize, label: &str| {
            post(Reply { id, body: ReplyBody::Progress { done, total, label: label.to_string() } });
        };
        let body = engine::run(&job.task, &BrowserClock, &mut progress);
        post(Reply { id, body });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(READY));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the kplan worker runs in a browser; build it for wasm32-unknown-unknown with trunk");
}
