import QtQuick
import QtQuick.Controls
import QtTest
import Inkroom

// A dialog's standard buttons answer Return and Enter when focused, and keep what Dialog makes of them: the
// dialog's accepted and rejected signals.
Item {
    width: 600
    height: 400

    Dialog {
        id: dialog
        anchors.centerIn: parent
        modal: true
        title: "Clear the board?"
        standardButtons: Dialog.Cancel | Dialog.Ok
        footer: DialogButtons {}
        Label { text: "This removes everything." }
    }

    SignalSpy { id: accepted; target: dialog; signalName: "accepted" }
    SignalSpy { id: rejected; target: dialog; signalName: "rejected" }

    TestCase {
        name: "DialogButtons"
        when: windowShown

        function pressWithKey(role, key) {
            dialog.open()
            tryVerify(() => dialog.opened)
            const button = dialog.footer.standardButton(role)
            verify(button, "the footer holds the dialog's standard buttons")
            button.forceActiveFocus(Qt.TabFocusReason)
            verify(button.activeFocus)
            keyClick(key)
            tryVerify(() => !dialog.visible)
        }

        function test_returnPressesTheFocusedButton() {
            accepted.clear()
            rejected.clear()
            pressWithKey(Dialog.Ok, Qt.Key_Return)
            compare(accepted.count, 1)
            compare(rejected.count, 0)
            pressWithKey(Dialog.Cancel, Qt.Key_Enter)
            compare(accepted.count, 1)
            compare(rejected.count, 1)
        }
    }
}
