#pragma once

#include <QList>
#include <QUrl>

namespace inkroom::client {

//! Addresses one room may be given (a link with several hosts, inkroom-cli --server repeated): nodes of one room.
inline constexpr int MaxRoomAddresses = 8;

/** @brief The addresses one room is served at (several server nodes on one database), and which one to try next.
 *
 * Round robin: an attempt that ends moves on to the next address. Within a round (each address once) the next one is
 * tried at once, so a dead node costs one quick attempt; only when a whole round has failed does the caller wait its
 * backoff. The address that last answered is preferred when the same room is opened again. A pure value: the
 * Connection owns the timers.
 */
class AddressRotation
{
public:
    /** Use these addresses (in this order), starting at the preferred one when it is among them, else the first;
     *  a new round begins. */
    void reset(const QList<QUrl> &urls);
    //! Forget the addresses (the preference stays).
    void clear();

    [[nodiscard]] const QList<QUrl> &urls() const { return m_urls; }
    [[nodiscard]] bool isEmpty() const { return m_urls.isEmpty(); }
    //! The address to try now; empty when there is none.
    [[nodiscard]] QUrl current() const { return m_urls.value(m_index); }
    [[nodiscard]] int index() const { return m_index; }
    [[nodiscard]] const QUrl &preferred() const { return m_preferred; }

    //! The current address answered: it is tried first from now on.
    void answered();
    /** The attempt on the current address ended: move to the next one. True when it may be tried at once (it has not
     *  been tried in this round); false when this round has tried every address: wait, then newRound(). */
    bool advance();
    //! Every address may be tried once more without waiting (after a backoff wait, or a link that stayed up).
    void newRound();

private:
    QList<QUrl> m_urls;
    QUrl m_preferred;
    int m_index = 0;
    int m_leftInRound = 0; //!< addresses still to try at once in this round
};

} // namespace inkroom::client
