import QtQuick
import QtTest
import Inkroom
import Inkroom.Client

// The banner always says where the connection stands, in words.
Item {
    width: 800
    height: 60

    Session { id: session }

    ConnectionBanner {
        id: banner
        width: parent.width
        session: session
    }

    TestCase {
        name: "ConnectionBanner"
        when: windowShown

        function test_offlineThenRetry() {
            session.join("ws://127.0.0.1:9", "qml-banner", "Tester", "#1e88e5", "")
            // Nothing listens on port 9: the session reconnects, and the banner says so and offers a retry.
            tryVerify(() => session.state === Session.Reconnecting, 10000)
            verify(!banner.online && !banner.failed)
            session.sendChat("queued while offline")
            tryVerify(() => session.statusText.length > 0)
            const buttons = []
            const collect = (item) => {
                for (let i = 0; i < item.children.length; ++i) {
                    const child = item.children[i]
                    if (child.text !== undefined && child.clicked !== undefined)
                        buttons.push(child)
                    collect(child)
                }
            }
            collect(banner)
            const retry = buttons.find(b => b.text === "Retry now")
            verify(retry && retry.visible, "Retry now is offered while reconnecting")
            const attempts = session.attempt
            mouseClick(retry)
            tryVerify(() => session.attempt > attempts || session.state !== Session.Reconnecting, 5000)
            // A focused button is pressed by Return and Enter too, as on any KDE or GNOME dialog.
            tryVerify(() => session.state === Session.Reconnecting && retry.visible, 10000)
            const again = session.attempt
            retry.forceActiveFocus(Qt.TabFocusReason)
            verify(retry.activeFocus)
            keyClick(Qt.Key_Return)
            tryVerify(() => session.attempt > again || session.state !== Session.Reconnecting, 5000)
            session.leave()
        }

        function test_failedShowsTheReason() {
            session.join("ws://127.0.0.1:9", "bad\u0001room", "Tester", "#1e88e5", "")
            tryVerify(() => session.state === Session.Failed, 5000)
            verify(banner.failed)
            verify(session.reason.length > 0)
            session.leave()
        }
    }
}
