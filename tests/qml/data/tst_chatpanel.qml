import QtQuick
import QtTest
import Inkroom
import Inkroom.Client

// The chat panel on a real session that has no server to reach (every message stays pending).
Item {
    id: root
    width: 360
    height: 480

    Session { id: session }

    ChatPanel {
        id: panel
        anchors.fill: parent
        session: session
    }

    TestCase {
        name: "ChatPanel"
        when: windowShown

        function initTestCase() {
            session.join("ws://127.0.0.1:9", "qml-chat", "Tester", "#e53935", "")
        }

        function init() {
            findChild(panel, "chatInput").clear()
        }

        function test_enterSendsShiftEnterBreaksTheLine() {
            const input = findChild(panel, "chatInput")
            verify(input)
            mouseClick(input)
            tryVerify(() => input.activeFocus)
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_I)
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            compare(session.chat.count, 0)
            keyClick(Qt.Key_T)
            keyClick(Qt.Key_Return)
            compare(session.chat.count, 1)
            compare(input.text, "")
            compare(session.pendingCount, session.chat.count)
            // The line break travels as a newline.
            compare(session.chat.data(session.chat.index(0, 0), ChatModel.TextRole), "hi\nt")
        }

        function test_privateConversationSendsDirectMessages() {
            const chip = findChild(panel, "directChip")
            verify(chip)
            verify(!chip.visible)
            panel.startDirect("client-bo-00001", "Bo")
            verify(chip.visible)
            const input = findChild(panel, "chatInput")
            tryVerify(() => input.activeFocus)
            const before = session.chat.count
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_Return)
            compare(session.chat.count, before + 1)
            const row = session.chat.index(session.chat.count - 1, 0)
            compare(session.chat.data(row, ChatModel.DirectRole), true)
            compare(session.chat.data(row, ChatModel.PeerIdRole), "client-bo-00001")
            compare(session.chat.data(row, ChatModel.PendingRole), true)
            // Back to the room: the next message is for everybody.
            panel.directTo = ""
            verify(!chip.visible)
            keyClick(Qt.Key_I)
            keyClick(Qt.Key_Return)
            compare(session.chat.data(session.chat.index(session.chat.count - 1, 0), ChatModel.DirectRole), false)
        }

        function test_emptyMessagesAreNotSent() {
            const input = findChild(panel, "chatInput")
            mouseClick(input)
            const before = session.chat.count
            keyClick(Qt.Key_Space)
            keyClick(Qt.Key_Return)
            compare(session.chat.count, before)
        }

        function test_markupIsShownAsText() {
            session.sendChat("<b>not bold</b> <img src=x>")
            const list = panel.children[0]
            tryVerify(() => list.count === session.chat.count)
            list.positionViewAtEnd()
            waitForRendering(list)
            // Every label in the chat shows its text as plain text.
            const labels = []
            const collect = (item) => {
                for (let i = 0; i < item.children.length; ++i) {
                    const child = item.children[i]
                    if (child.textFormat !== undefined && child.text !== undefined)
                        labels.push(child)
                    collect(child)
                }
            }
            collect(list.contentItem)
            const shown = labels.filter(l => l.text === "<b>not bold</b> <img src=x>")
            verify(shown.length === 1, "the message is on screen once")
            compare(shown[0].textFormat, Text.PlainText)
        }
    }
}
