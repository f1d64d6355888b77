#include "gateway/odata/csdl.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace jtgw::odata {

void append_xml_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            case '\t': out += "&#9;"; break;   // kept as characters: attribute values
            case '\n': out += "&#10;"; break;  // would otherwise normalise them to spaces
            case '\r': out += "&#13;"; break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20) out += c;
        }
    }
}

namespace {

void attribute(std::string& out, std::string_view name, std::string_view value) {
    out += ' ';
    out += name;
    out += "=\"";
    append_xml_escaped(out, value);
    out += '"';
}

void description(std::string& out, std::string_view indent, std::string_view text) {
    out += indent;
    out += "<Annotation Term=\"Core.Description\"";
    attribute(out, "String", text);
    out += "/>\n";
}

void entity_type(std::string& out, const table& t) {
    out += "      <EntityType";
    attribute(out, "Name", t.name);
    out += ">\n        <Key>\n";
    for (std::size_t k : t.key) {
        out += "          <PropertyRef";
        attribute(out, "Name", t.columns[k].name);
        out += "/>\n";
    }
    out += "        </Key>\n";
    for (const auto& c : t.columns) {
        out += "        <Property";
        attribute(out, "Name", c.name);
        attribute(out, "Type", to_string(c.type));
        attribute(out, "Nullable", c.nullable ? "true" : "false");
        if (c.description.empty()) {
            out += "/>\n";
        } else {
            out += ">\n";
            description(out, "          ", c.description);
            out += "        </Property>\n";
        }
    }
    description(out, "        ", t.description);
    out += "      </EntityType>\n";
}

}  // namespace

std::string metadata_xml(const catalog& cat) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n"
        "  <edmx:Reference Uri=\"https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml\">\n"
        "    <edmx:Include Namespace=\"Org.OData.Core.V1\" Alias=\"Core\"/>\n"
        "  </edmx:Reference>\n"
        "  <edmx:DataServices>\n"
        "    <Schema xmlns=\"http://docs.oasis-open.org/odata/ns/edm\"";
    attribute(out, "Namespace", cat.schema_namespace);
    out += ">\n";
    for (const auto& t : cat.tables) entity_type(out, t);
    out += "      <EntityContainer Name=\"Container\">\n";
    for (const auto& t : cat.tables) {
        out += "        <EntitySet";
        attribute(out, "Name", t.name);
        attribute(out, "EntityType", cat.schema_namespace + "." + t.name);
        out += "/>\n";
    }
    out += "      </EntityContainer>\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n";
    return out;
}

std::string service_document(const catalog& cat, std::string_view service_root) {
    boost::json::array sets;
    for (const auto& t : cat.tables)
        sets.push_back(boost::json::object{{"name", t.name}, {"kind", "EntitySet"}, {"url", t.name}});
    std::string context(service_root);
    context += "$metadata";
    return boost::json::serialize(boost::json::object{{"@odata.context", context}, {"value", std::move(sets)}});
}

}  // namespace jtgw::odata
