#pragma once

#include <QString>
#include <QStringView>

//! What text people see: rules shared by the decoder, the server and the client, so that names and rooms that look
//! the same are the same, and nothing shown is made of nothing visible.
namespace inkroom::text {

/** Does text hold at least one character that shows? Spaces, format characters (zero-width spaces and joiners,
 *  bidi controls), combining marks on their own, controls, unassigned code points and the letters that are drawn
 *  blank (Hangul fillers, the braille blank) do not. */
[[nodiscard]] bool hasVisibleCharacter(QStringView text);

//! Does text hold a bidirectional control (embeddings, overrides, isolates, marks), which can reorder what is shown?
[[nodiscard]] bool hasBidiControl(QStringView text);

/** The form of a room name people mean: NFC, without format characters, white space trimmed and runs of it made one
 *  space. What is stored and shown. */
[[nodiscard]] QString normalisedRoomName(QStringView name);

/** The key two room names that look the same share: compatibility-normalised (NFKC: full-width "Ｄｅｓｉｇｎ２" is
 *  "Design2"), without format characters, white space simplified, case-folded. */
[[nodiscard]] QString roomKey(QStringView name);

/** The key two display names that look the same share (for telling members apart): as roomKey(). */
[[nodiscard]] QString nameKey(QStringView name);

} // namespace inkroom::text
