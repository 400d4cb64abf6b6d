import QtQuick
import QtQuick.Controls
import QtTest
import Inkroom
import Inkroom.Client
import Inkroom.Ui

// The room page's menus, context menu, dialogs and side panel on App's real session, which has no server to reach
// (every change stays pending: shown at once, queued, sent never).
Item {
    id: root
    width: 1280
    height: 800

    RoomPage {
        id: page
        anchors.fill: parent
    }

    TestCase {
        id: test
        name: "RoomPage"
        when: windowShown

        readonly property Session session: App.session
        property var canvas: page.canvas
        //! A room of its own each run: what waits in the journal of an earlier run's room stays there.
        readonly property string room: "qml-room-" + Date.now()

        function initTestCase() {
            session.join("ws://127.0.0.1:9", room, "Tester", "#e53935", "")
            waitForRendering(page)
        }

        function init() {
            canvas.forceActiveFocus()
            tryVerify(() => canvas.activeFocus)
        }

        function cleanup() {
            for (const name of ["shortcutSheet", "inviteDialog", "aboutDialog", "syncHealthPanel", "boardContextMenu"]) {
                const popup = findChild(page, name)
                if (popup && popup.opened)
                    popup.close()
                tryVerify(() => !popup.visible)
            }
            canvas.clearSelection()
        }

        //! Where a board point is on the canvas.
        function onCanvas(x, y) {
            return canvas.mapFromBoard(Qt.point(x, y))
        }

        function test_f1AndQuestionMarkOpenTheShortcutSheet() {
            const sheet = findChild(page, "shortcutSheet")
            verify(sheet)
            keyClick(Qt.Key_F1)
            tryVerify(() => sheet.opened)
            keyClick(Qt.Key_Escape)
            tryVerify(() => !sheet.visible)
            // (A synthetic key carries no keyboard layout: "?" comes without the Shift that types it.)
            keyClick(Qt.Key_Question)
            tryVerify(() => sheet.opened)
            // The sheet's tools are the tool bar's, keys included: select is V or 1, the laser K alone.
            const tools = sheet.groups[0].rows
            verify(tools.some(row => row[0] === "V, 1" && row[1] === "Select"), JSON.stringify(tools))
            verify(tools.some(row => row[0] === "E, 0" && row[1] === "Eraser"), JSON.stringify(tools))
            verify(tools.some(row => row[0] === "K" && row[1] === "Laser pointer"), JSON.stringify(tools))
            compare(tools.length, 11) // ten tools and Space + drag
            keyClick(Qt.Key_Escape)
        }

        function test_inviteDialogForAMemberWithCopyFeedback() {
            const dialog = findChild(page, "inviteDialog")
            keySequence("Ctrl+I")
            tryVerify(() => dialog.opened)
            // Not the host: the link is the room this app joined.
            const link = findChild(dialog, "linkText")
            compare(link.text, "inkroom://127.0.0.1:9/" + room + "?insecure=1")
            const copy = findChild(dialog, "linkCopyButton")
            compare(copy.text, "Copy")
            mouseClick(copy)
            compare(copy.text, "Copied")
            // Without TLS there is no fingerprint and no join code to show.
            verify(!findChild(dialog, "fingerprintText").parent.parent.visible)
            tryCompare(copy, "text", "Copy", 5000)
        }

        function test_contextMenuSelectsRestacksCopiesPastesAndDuplicates() {
            // Two filled boxes in the middle of the board, clear of the floating tool bar: the blue one on top.
            const c = canvas.mapToBoard(Qt.point(canvas.width / 2, canvas.height / 2))
            const a = session.addShape(BoardDocument.Rect, "red", 2, Qt.point(c.x, c.y), Qt.point(c.x + 100, c.y + 100),
                                       "pink")
            const b = session.addShape(BoardDocument.Rect, "blue", 2, Qt.point(c.x + 50, c.y + 50),
                                       Qt.point(c.x + 150, c.y + 150), "lightblue")
            verify(a.length > 0 && b.length > 0)
            const overlap = Qt.point(c.x + 75, c.y + 75)
            compare(session.board.itemAt(overlap, 1), b)
            const countBefore = session.board.itemCount
            const menu = findChild(page, "boardContextMenu")
            // Right-click on the red box's corner (only it is there): it is selected and the menu opens.
            const at = onCanvas(c.x + 10, c.y + 10)
            mouseClick(canvas, at.x, at.y, Qt.RightButton)
            tryVerify(() => menu.opened)
            compare(canvas.selectedIds(), [a])
            mouseClick(findChild(menu, "contextFront"))
            tryVerify(() => !menu.visible)
            compare(session.board.itemAt(overlap, 1), a) // the red box is on top now
            mouseClick(canvas, at.x, at.y, Qt.RightButton)
            tryVerify(() => menu.opened)
            mouseClick(findChild(menu, "contextBack"))
            compare(session.board.itemAt(overlap, 1), b)

            // Copy and paste by keyboard: a fresh item, a step away, selected; one undo takes it back.
            canvas.forceActiveFocus()
            keySequence("Ctrl+C")
            keySequence("Ctrl+V")
            compare(session.board.itemCount, countBefore + 1)
            const pasted = canvas.selectedIds()
            compare(pasted.length, 1)
            verify(pasted[0] !== a)
            const original = session.board.itemBounds(a)
            compare(session.board.itemBounds(pasted[0]).x - original.x, 24)
            compare(session.board.itemBounds(pasted[0]).y - original.y, 24)
            keySequence("Ctrl+V") // the next paste lands a step further
            compare(session.board.itemBounds(canvas.selectedIds()[0]).x - original.x, 48)
            keySequence("Ctrl+Z")
            keySequence("Ctrl+Z")
            compare(session.board.itemCount, countBefore)

            // Paste here: centred where the menu was opened.
            const far = onCanvas(c.x + 300, c.y - 100)
            mouseClick(canvas, far.x, far.y, Qt.RightButton)
            tryVerify(() => menu.opened)
            mouseClick(findChild(menu, "contextPaste"))
            compare(session.board.itemCount, countBefore + 1)
            const centred = session.board.itemBounds(canvas.selectedIds()[0])
            fuzzyCompare(centred.x + centred.width / 2, c.x + 300, 1) // (the click lands on a whole pixel)
            fuzzyCompare(centred.y + centred.height / 2, c.y - 100, 1)

            // Duplicate by keyboard, delete from the menu.
            canvas.selectIds([b])
            keySequence("Ctrl+D")
            compare(session.board.itemCount, countBefore + 2)
            mouseClick(canvas, at.x, at.y, Qt.RightButton)
            tryVerify(() => menu.opened)
            compare(canvas.selectedIds(), [a])
            mouseClick(findChild(menu, "contextDelete"))
            compare(session.board.itemCount, countBefore + 1)
            compare(session.board.itemAt(Qt.point(c.x + 5, c.y + 5), 1), "")
        }

        function test_chatButtonKeepsNoFocusAndReopensOnTheChat() {
            const toggle = findChild(page, "chatToggle")
            verify(toggle.checked)
            mouseClick(findChild(page, "peopleTab"))
            mouseClick(toggle)
            verify(!toggle.checked)
            verify(!toggle.activeFocus)
            // Typing does not press it again (it has no focus), nor does it reach it.
            keyClick(Qt.Key_Space)
            verify(!toggle.checked)
            mouseClick(toggle)
            verify(toggle.checked)
            const chatTab = findChild(page, "chatTab")
            verify(chatTab.checked, "the chat shows, not the people")
        }

        function test_connectionDetailsFromTheBanner() {
            verify(session.sendChat("waiting for a server"))
            const panel = findChild(page, "syncHealthPanel")
            mouseClick(findChild(page, "connectionDetailsButton"))
            tryVerify(() => panel.opened)
            compare(findChild(panel, "syncState").text, "Offline")
            const waiting = findChild(panel, "waitingRow")
            verify(waiting.value.indexOf("change") >= 0, waiting.value)
            keyClick(Qt.Key_Escape)
            tryVerify(() => !panel.visible)
        }

        //! The menu bar by keyboard alone, as in any KDE application: Alt and a menu's letter open it, Left and Right
        //! walk to the neighbouring menus, Down and Return pick an entry, Escape closes without picking.
        function test_altAndALetterOpenAMenu() {
            const help = findChild(page, "helpMenu")
            const view = findChild(page, "viewMenu")
            const sheet = findChild(page, "shortcutSheet")
            keyClick(Qt.Key_H, Qt.AltModifier)
            tryVerify(() => help.opened)
            keyClick(Qt.Key_Left)
            tryVerify(() => view.opened && !help.visible)
            keyClick(Qt.Key_Right)
            tryVerify(() => help.opened && !view.visible)
            keyClick(Qt.Key_Down) // the first entry: Keyboard shortcuts
            keyClick(Qt.Key_Return)
            tryVerify(() => sheet.opened && !help.visible)
            keyClick(Qt.Key_Escape)
            tryVerify(() => !sheet.visible)
            keyClick(Qt.Key_V, Qt.AltModifier)
            tryVerify(() => view.opened)
            keyClick(Qt.Key_Escape)
            tryVerify(() => !view.visible)
            verify(!sheet.visible)
        }

        function test_aboutNamesTheVersionAndLicence() {
            const menuBar = findChild(page, "appMenuBar")
            menuBar.aboutRequested()
            const about = findChild(page, "aboutDialog")
            tryVerify(() => about.opened)
            compare(findChild(about, "aboutVersion").text, "Version " + App.version)
        }
    }
}
