import QtQuick
import QtQuick.Controls
import QtTest
import Inkroom
import Inkroom.Client
import Inkroom.Ui

// The tool bar and the properties panel in a light and a dark palette: the icons take the palette's text colour, so
// they read on either. The grabs are kept (tools-light.png, tools-dark.png in the test's working
// directory) to be looked at; run with QT_SCALE_FACTOR=2 for the 2x ones.
Item {
    id: root
    width: 760
    height: 560

    Session { id: session }

    Whiteboard {
        id: canvas
        width: 10
        height: 10
        session: session
        tool: Whiteboard.Rect
    }

    Pane {
        id: light
        x: 0
        width: root.width / 2
        height: root.height
        padding: 12
        palette.window: "#eff0f1"
        palette.windowText: "#232629"
        palette.button: "#fcfcfc"
        palette.buttonText: "#232629"
        palette.text: "#232629"
        palette.base: "#ffffff"
        palette.highlight: "#3daee9"
        palette.highlightedText: "#ffffff"
        palette.mid: "#b0b4b8"
        BoardToolbar {
            objectName: "bar"
            id: lightBar
            session: session
            tool: Whiteboard.Rect
            maximumWidth: light.availableWidth
        }
        PropertiesPanel {
            canvas: canvas
            anchors.top: lightBar.bottom
            anchors.topMargin: 10
        }
    }
    Pane {
        id: dark
        x: root.width / 2
        width: root.width / 2
        height: root.height
        padding: 12
        palette.window: "#2a2e32"
        palette.windowText: "#fcfcfc"
        palette.button: "#31363b"
        palette.buttonText: "#fcfcfc"
        palette.text: "#fcfcfc"
        palette.base: "#1b1e20"
        palette.highlight: "#3daee9"
        palette.highlightedText: "#fcfcfc"
        palette.mid: "#4d5257"
        BoardToolbar {
            objectName: "bar"
            id: darkBar
            session: session
            tool: Whiteboard.Rect
            maximumWidth: dark.availableWidth
        }
        PropertiesPanel {
            canvas: canvas
            anchors.top: darkBar.bottom
            anchors.topMargin: 10
        }
    }

    TestCase {
        name: "ToolsAppearance"
        when: windowShown

        //! Pixels of an unchecked tool's icon that stand out from the bar: darker on light, lighter on dark.
        function iconPixels(preview, darkTheme) {
            const button = findChild(preview, "penTool")
            verify(button && !button.checked)
            const image = grabImage(button)
            let count = 0
            for (let y = 0; y < image.height; ++y) {
                for (let x = 0; x < image.width; ++x) {
                    const c = image.pixel(x, y)
                    const lightness = (Math.max(c.r, c.g, c.b) + Math.min(c.r, c.g, c.b)) / 2
                    if (darkTheme ? lightness > 0.6 : lightness < 0.5)
                        ++count
                }
            }
            return count
        }

        function test_iconsReadInLightAndDark() {
            session.join("ws://127.0.0.1:9", "qml-appearance", "Tester", "#1e88e5", "")
            grabImage(light).save("tools-light.png")
            grabImage(dark).save("tools-dark.png")
            const lightCount = iconPixels(light, false)
            const darkCount = iconPixels(dark, true)
            verify(lightCount > 20, "dark icon pixels on the light bar: " + lightCount)
            verify(darkCount > 20, "light icon pixels on the dark bar: " + darkCount)
        }
    }
}
