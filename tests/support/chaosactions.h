#pragma once

//! What the chaos tests do at random: the changes a person makes, and faults on a link. No Q_OBJECT here.

#include <QStringList>

class QRandomGenerator;

namespace inkroom::client {
class Session;
}

namespace inkroom::test {

class FaultProxy;

//! What the random changes of a run made, for the checks at its end.
struct ChangesMade
{
    QStringList chats; //!< every chat text a session took
    QStringList adds; //!< every item id a session added
    int counter = 0; //!< numbers the texts, so that each is unique
};

//! A chat message from @p session with a text no other change has ("<name> says <n>"), recorded if it was taken.
void sendNumberedChat(client::Session &session, ChangesMade *made);

/** One change by @p session, as a person makes them, picked by @p rng: a chat message (35 %), a shape or text (20 %),
 *  a freehand stroke drawn live (8 %), a move (12 %), a removal (7 %), a text edit (5 %), an undo (3 %), clearing the
 *  board (1 %: only the room's owner may, the others are refused) or a cursor move and typing (9 %). Chats and adds
 *  the session took are recorded in @p made; whether they arrive is for the test to check. */
void makeRandomChange(client::Session &session, QRandomGenerator &rng, ChangesMade *made);

/** A fault on @p proxy's link, picked by @p rng: a cut, a stall, a half-open link, a delay, frames split into small
 *  pieces, or refused connections after a cut. Returns after how many ms the test should heal it, or -1 for a cut,
 *  which needs no healing (the client reconnects through the proxy). */
[[nodiscard]] qint64 injectRandomFault(FaultProxy &proxy, QRandomGenerator &rng);

} // namespace inkroom::test
