pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Window
import Inkroom.Ui

// The window: the start page, and the room page on top of it while App is in a room. App decides; this follows.
ApplicationWindow {
    id: window

    // Light, dark or the system's (View > Appearance): the controls take their colours from the window's palette.
    palette {
        window: App.appearance.colours.window
        windowText: App.appearance.colours.windowText
        base: App.appearance.colours.base
        alternateBase: App.appearance.colours.alternateBase
        text: App.appearance.colours.text
        button: App.appearance.colours.button
        buttonText: App.appearance.colours.buttonText
        brightText: App.appearance.colours.brightText
        highlight: App.appearance.colours.highlight
        highlightedText: App.appearance.colours.highlightedText
        link: App.appearance.colours.link
        linkVisited: App.appearance.colours.linkVisited
        toolTipBase: App.appearance.colours.toolTipBase
        toolTipText: App.appearance.colours.toolTipText
        placeholderText: App.appearance.colours.placeholderText
        light: App.appearance.colours.light
        midlight: App.appearance.colours.midlight
        mid: App.appearance.colours.mid
        dark: App.appearance.colours.dark
        shadow: App.appearance.colours.shadow
        disabled.windowText: App.appearance.colours.disabledWindowText
        disabled.text: App.appearance.colours.disabledText
        disabled.buttonText: App.appearance.colours.disabledButtonText
        disabled.highlight: App.appearance.colours.disabledHighlight
        disabled.placeholderText: App.appearance.colours.disabledPlaceholderText
    }

    // Never larger than the screen (at 2x a 1280 x 800 window is 2560 x 1600 pixels): the first time 1280 x 800 or what
    // is available less a margin; afterwards the size it was left at, fitted to today's screens (App.savedWindow.geometry).
    readonly property int availableWidth: Screen.desktopAvailableWidth > 0 ? Screen.desktopAvailableWidth - 40 : 1280
    readonly property int availableHeight: Screen.desktopAvailableHeight > 0 ? Screen.desktopAvailableHeight - 40 : 800
    width: App.savedWindow.geometry.width > 0 ? App.savedWindow.geometry.width : Math.min(1280, availableWidth)
    height: App.savedWindow.geometry.height > 0 ? App.savedWindow.geometry.height : Math.min(800, availableHeight)
    minimumWidth: Math.min(720, availableWidth)
    minimumHeight: Math.min(480, availableHeight)
    // Hidden only while a room is served in the background from the system tray.
    visible: !App.windowHidden
    title: App.page === App.Room ? qsTr("%1 — Inkroom").arg(App.roomName) : qsTr("Inkroom")

    Component.onCompleted: {
        if (App.savedWindow.geometry.width > 0) {
            x = App.savedWindow.geometry.x
            y = App.savedWindow.geometry.y
        }
        if (App.savedWindow.maximized)
            showMaximized()
        showPage(StackView.Immediate)
    }
    onClosing: (close) => {
        App.savedWindow.maximized = window.visibility === Window.Maximized
        if (window.visibility === Window.Windowed)
            App.savedWindow.geometry = Qt.rect(window.x, window.y, window.width, window.height)
        // While a room is hosted here App asks first (keep serving, or close it for everyone).
        close.accepted = App.quit()
    }

    // In a room, Quit is the menu bar's (Room, Ctrl+Q): one owner per key.
    Shortcut {
        sequence: "Ctrl+Q"
        enabled: App.page !== App.Room
        context: Qt.ApplicationShortcut
        onActivated: App.quit()
    }

    //! Show the page App is on: the room page over the start page, or the start page alone.
    function showPage(operation: int) {
        if (App.page === App.Room && stack.depth === 1)
            stack.push(roomComponent, {}, operation)
        else if (App.page === App.Start && stack.depth > 1)
            stack.pop(null, operation)
    }

    Connections {
        target: App
        function onPageChanged() { window.showPage(App.page === App.Room ? StackView.PushTransition : StackView.PopTransition) }
    }

    StackView {
        id: stack
        objectName: "stack"
        anchors.fill: parent
        initialItem: StartPage {}
    }

    Component {
        id: roomComponent
        RoomPage {}
    }

    LeaveHostDialog {}
}
