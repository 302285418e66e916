//! The poller's two queues drained into one log, for the native drivers (tests, simulation, fuzzing).

use ask_seer_polling::core::{Command, Error, Event, Poller, Request, RequestId};
use serde_json::Value;

/// One output of the poller: a [`Command`] or an [`Event`], under the variant's own name;
/// `J` is the JSON value of the events, `serde_json`'s in every native driver.
#[derive(Clone, Debug, PartialEq)]
pub enum Action<J = Value> {
    /// [`Command::Send`].
    Send(Request),
    /// [`Command::Abort`].
    Abort(RequestId),
    /// [`Event::Publish`].
    Publish,
    /// [`Event::Succeeded`].
    Succeeded(J),
    /// [`Event::Failed`].
    Failed(Error),
    /// [`Event::StartSettled`].
    StartSettled(RequestId),
}

/// Everything the poller has queued: its commands, then its events. An input queues all its
/// commands before its events, so one input's outputs come in the order it made them.
pub fn drain(poller: &mut Poller<str>) -> Vec<Action<Value>> {
    let commands: Vec<Action<Value>> = std::iter::from_fn(|| poller.poll_command())
        .map(|command| match command {
            Command::Send(request) => Action::Send(request),
            Command::Abort(id) => Action::Abort(id),
        })
        .collect();
    let events = std::iter::from_fn(|| poller.poll_event()).map(|event| match event {
        Event::Publish => Action::Publish,
        Event::Succeeded(response) => Action::Succeeded(response),
        Event::Failed(error) => Action::Failed(error),
        Event::StartSettled(id) => Action::StartSettled(id),
    });
    commands.into_iter().chain(events).collect()
}
